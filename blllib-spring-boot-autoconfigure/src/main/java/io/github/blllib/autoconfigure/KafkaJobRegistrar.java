package io.github.blllib.autoconfigure;

import java.util.Map;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers one {@link KafkaJobLifecycle} bean per job of {@code blllib.kafka.jobs}, named
 * {@value #BEAN_NAME_PREFIX}{@code <job>}, made by {@link ConfiguredKafkaJobs}.
 */
class KafkaJobRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware {

	/** The prefix of each job's lifecycle bean name. */
	static final String BEAN_NAME_PREFIX = "blllibKafkaJob.";

	private Environment environment;

	private BeanFactory beanFactory;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		Map<String, Object> jobs = Binder.get(this.environment)
			.bind("blllib.kafka.jobs", Bindable.mapOf(String.class, Object.class))
			.orElse(Map.of());
		for (String job : jobs.keySet()) {
			RootBeanDefinition definition = new RootBeanDefinition(KafkaJobLifecycle.class,
					() -> this.beanFactory.getBean(ConfiguredKafkaJobs.class).lifecycle(job));
			registry.registerBeanDefinition(BEAN_NAME_PREFIX + job, definition);
		}
	}

}
