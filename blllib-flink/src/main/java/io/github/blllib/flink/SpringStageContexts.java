package io.github.blllib.flink;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.blllib.Pipeline;
import io.github.blllib.PipelineFactory;
import io.github.blllib.StageSpec;
import io.github.blllib.autoconfigure.BlllibAutoConfiguration;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * One Spring application context per configuration class and JVM (per job class loader on a
 * task manager), started on first use and closed when the JVM exits. Its stage specs come from
 * the starter's {@link PipelineFactory}, so {@code @BlllibStage} and {@code blllib.stages.*}
 * settings apply exactly as in a Spring Boot application.
 */
final class SpringStageContexts {

	private static final Map<Class<?>, ConfigurableApplicationContext> contexts = new ConcurrentHashMap<>();

	private SpringStageContexts() {
	}

	/**
	 * The specs of the named stage beans, with fresh instances of prototype-scoped beans.
	 * @throws IllegalArgumentException when a name is not a stage bean, listing the known ones
	 */
	static List<StageSpec<?, ?>> specs(Class<?> configuration, String pipeline, String... stages) {
		PipelineFactory factory = context(configuration).getBean(PipelineFactory.class);
		// a pipeline never applied holds no thread: it is only read for its stage specs
		try (Pipeline<Object, Object> pipeline0 = factory.create(pipeline, stages)) {
			return pipeline0.stages();
		}
	}

	private static ConfigurableApplicationContext context(Class<?> configuration) {
		return contexts.computeIfAbsent(configuration, (type) -> {
			AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
			context.setClassLoader(type.getClassLoader());
			context.register(type, BlllibOnly.class);
			context.refresh();
			context.registerShutdownHook();
			return context;
		});
	}

	/** The blllib auto-configuration alone, after the user's configuration. */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(BlllibAutoConfiguration.class)
	static class BlllibOnly {

	}

}
