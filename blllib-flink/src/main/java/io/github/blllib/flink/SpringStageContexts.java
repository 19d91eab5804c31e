package io.github.blllib.flink;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.blllib.PipelineFactory;
import io.github.blllib.StageSpec;
import io.github.blllib.autoconfigure.BlllibAutoConfiguration;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * One Spring application context per configuration class and class loader: on a task manager,
 * one per job (its user-code class loader), shared by all its subtasks there and closed when the
 * job's class loader is released; on the client that builds the job, one per configuration class
 * for the JVM's life. Its stage specs come from the starter's {@link PipelineFactory}, so
 * {@code @BlllibStage} and {@code blllib.stages.*} settings apply exactly as in a Spring Boot
 * application.
 */
final class SpringStageContexts {

	private static final Map<Key, ConfigurableApplicationContext> contexts = new ConcurrentHashMap<>();

	private SpringStageContexts() {
	}

	/**
	 * The specs of the named stage beans, with fresh instances of prototype-scoped beans.
	 * @param classLoader the class loader the context loads the beans' classes with
	 * @throws IllegalArgumentException when a name is not a stage bean, listing the known ones
	 */
	static List<StageSpec<?, ?>> specs(Class<?> configuration, ClassLoader classLoader, String pipeline,
			String... stages) {
		return context(new Key(configuration, classLoader)).getBean(PipelineFactory.class).specs(pipeline, stages);
	}

	/** Closes the contexts of one class loader (a job's, on a task manager, once it is released). */
	static void close(ClassLoader classLoader) {
		contexts.entrySet().removeIf((entry) -> {
			if (entry.getKey().classLoader() != classLoader) {
				return false;
			}
			entry.getValue().close();
			return true;
		});
	}

	/** Contexts open now, for the tests. */
	static int openContexts() {
		return contexts.size();
	}

	private static ConfigurableApplicationContext context(Key key) {
		return contexts.computeIfAbsent(key, (absent) -> {
			AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
			context.setClassLoader(absent.classLoader());
			context.register(absent.configuration(), BlllibOnly.class);
			context.refresh();
			return context;
		});
	}

	private record Key(Class<?> configuration, ClassLoader classLoader) {
	}

	/** The blllib auto-configuration alone, after the user's configuration. */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(BlllibAutoConfiguration.class)
	static class BlllibOnly {

	}

}
