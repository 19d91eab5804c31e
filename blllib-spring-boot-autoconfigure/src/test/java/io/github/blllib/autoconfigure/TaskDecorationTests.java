package io.github.blllib.autoconfigure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;

import io.github.blllib.BlllibStage;
import io.github.blllib.DedicatedExecutorFactory;
import io.github.blllib.Pipeline;
import io.github.blllib.PipelineFactory;
import io.github.blllib.Stage;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the application's {@link TaskDecorator} beans carry context (an MDC value, an
 * observation through {@link ContextPropagatingTaskDecorator}) from the consuming thread into
 * stage code, and that {@link BlllibWorkerExecutorCustomizer} beans customize the
 * worker pool.
 */
class TaskDecorationTests {

	private static final String REQUEST = "request";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class, BlllibAutoConfiguration.class))
		.withPropertyValues("blllib.n-cpu=2");

	@AfterEach
	void clearMdc() {
		MDC.clear();
	}

	@Test
	void mdcOfConsumingThreadShouldReachStatelessStage() {
		assertThat(contextSeenBy("stateless")).isNotEmpty().containsOnly("r-1");
	}

	@Test
	void mdcOfConsumingThreadShouldReachWindowStage() {
		assertThat(contextSeenBy("window")).isNotEmpty().containsOnly("r-1");
	}

	@Test
	void mdcOfConsumingThreadShouldReachStatefulStageOnItsDedicatedThread() {
		assertThat(contextSeenBy("stateful")).isNotEmpty().containsOnly("r-1");
	}

	@Test
	void mdcOfConsumingThreadShouldReachStageRunInMaster() {
		assertThat(contextSeenBy("inMaster")).isNotEmpty().containsOnly("r-1");
	}

	@Test
	void mdcOfConsumingThreadShouldReachEveryStageOfAMixedPipeline() {
		this.contextRunner.withUserConfiguration(MdcConfiguration.class).run((context) -> {
			SeenContext seen = context.getBean(SeenContext.class);
			MDC.put(REQUEST, "r-1");
			try (Pipeline<Integer, Integer> pipeline = context.getBean(PipelineFactory.class)
				.create("mixed", "stateless", "stateful", "window", "inMaster")) {
				assertThat(pipeline.apply(Runs.range(20)).stream().toList()).hasSize(19);
			}
			assertThat(seen.stages()).containsOnly("stateless", "stateful", "window", "inMaster");
			assertThat(seen.values()).containsOnly("r-1");
		});
	}

	@Test
	void observationOfConsumingThreadShouldReachEveryStageThroughContextPropagatingTaskDecorator() {
		this.contextRunner.withUserConfiguration(ObservationStagesConfiguration.class).run((context) -> {
			ObservationRegistry registry = context.getBean(ObservationRegistry.class);
			Queue<Object[]> seen = context.getBean(ObservationStagesConfiguration.class).seen;
			Observation request = Observation.start("request", registry);
			try (Observation.Scope scope = request.openScope();
					Pipeline<Integer, Integer> pipeline = context.getBean(PipelineFactory.class)
						.create("mixed", "observedStateless", "observedStateful", "observedWindow", "observedInMaster")) {
				assertThat(pipeline.apply(Runs.range(20)).stream().toList()).hasSize(19);
			}
			finally {
				request.stop();
			}
			assertThat(seen).extracting((call) -> call[0])
				.containsOnly("stateless", "stateful", "window", "inMaster");
			assertThat(seen).extracting((call) -> call[1]).containsOnly(request);
		});
	}

	@Test
	void stagesShouldSeeNoContextOfTheConsumerWithoutTaskDecorator() {
		this.contextRunner.withUserConfiguration(StagesConfiguration.class).run((context) -> {
			SeenContext seen = context.getBean(SeenContext.class);
			MDC.put(REQUEST, "r-1");
			try (Pipeline<Integer, Integer> pipeline = context.getBean(PipelineFactory.class).create("p",
					"stateless")) {
				pipeline.apply(Runs.range(4)).stream().toList();
			}
			assertThat(seen.values()).isNotEmpty().containsOnly("none");
		});
	}

	@Test
	void severalTaskDecoratorsShouldBeComposedInOrderOnTheWorkerPool() {
		this.contextRunner.withUserConfiguration(OrderedDecoratorsConfiguration.class).run((context) -> {
			ThreadPoolTaskExecutor pool = context.getBean(BlllibAutoConfiguration.WORKER_EXECUTOR_BEAN_NAME,
					ThreadPoolTaskExecutor.class);
			pool.submit(() -> {
			}).get();
			assertThat(context.getBean(OrderedDecoratorsConfiguration.class).decorations).containsExactly("first",
					"second");
		});
	}

	@Test
	void severalTaskDecoratorsShouldBeComposedInOrderOnDedicatedThreads() {
		this.contextRunner.withUserConfiguration(OrderedDecoratorsConfiguration.class).run((context) -> {
			ExecutorService executor = context.getBean(DedicatedExecutorFactory.class).open("p", "s");
			try {
				executor.submit(() -> {
				}).get();
			}
			finally {
				executor.shutdownNow();
			}
			assertThat(context.getBean(OrderedDecoratorsConfiguration.class).decorations).containsExactly("first",
					"second");
		});
	}

	@Test
	void workerExecutorCustomizersShouldCustomizeTheWorkerPoolInOrder() {
		this.contextRunner.withUserConfiguration(CustomizersConfiguration.class)
			.run((context) -> assertThat(context
				.getBean(BlllibAutoConfiguration.WORKER_EXECUTOR_BEAN_NAME, ThreadPoolTaskExecutor.class)
				.getThreadNamePrefix()).isEqualTo("second-"));
	}

	@Test
	void workerExecutorCustomizersShouldNotCustomizeTheApplicationTaskExecutor() {
		this.contextRunner.withUserConfiguration(CustomizersConfiguration.class)
			.run((context) -> assertThat(
					context.getBean("applicationTaskExecutor", ThreadPoolTaskExecutor.class).getThreadNamePrefix())
				.isEqualTo("task-"));
	}

	private List<String> contextSeenBy(String stage) {
		List<String> values = new ArrayList<>();
		this.contextRunner.withUserConfiguration(MdcConfiguration.class).run((context) -> {
			SeenContext seen = context.getBean(SeenContext.class);
			MDC.put(REQUEST, "r-1");
			try (Pipeline<Integer, Integer> pipeline = context.getBean(PipelineFactory.class).create("p", stage)) {
				pipeline.apply(Runs.range(8)).stream().toList();
			}
			assertThat(seen.stages()).containsOnly(stage);
			values.addAll(seen.values());
		});
		return values;
	}

	/** The MDC value each stage call saw, as "stage=value". */
	static class SeenContext {

		private final Queue<String[]> calls = new ConcurrentLinkedQueue<>();

		void record(String stage) {
			String value = MDC.get(REQUEST);
			this.calls.add(new String[] { stage, (value != null) ? value : "none" });
		}

		List<String> stages() {
			return this.calls.stream().map((call) -> call[0]).distinct().toList();
		}

		List<String> values() {
			return this.calls.stream().map((call) -> call[1]).toList();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class StagesConfiguration {

		@Bean
		SeenContext seenContext() {
			return new SeenContext();
		}

		@Bean
		@BlllibStage(stateful = "false", batchSize = 4)
		Stage<Integer, Integer> stateless(SeenContext seen) {
			return (x) -> {
				seen.record("stateless");
				return x;
			};
		}

		@Bean
		@BlllibStage(stateful = "2", batchSize = 4)
		Stage<List<Integer>, Integer> window(SeenContext seen) {
			return (pair) -> {
				seen.record("window");
				return pair.get(1);
			};
		}

		@Bean
		@BlllibStage(batchSize = 4)
		Stage<Integer, Integer> stateful(SeenContext seen) {
			return (x) -> {
				seen.record("stateful");
				return x;
			};
		}

		@Bean
		@BlllibStage(stateful = "false", runInMaster = true)
		Stage<Integer, Integer> inMaster(SeenContext seen) {
			return (x) -> {
				seen.record("inMaster");
				return x;
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class MdcConfiguration extends StagesConfiguration {

		/** Runs each task with the MDC of the thread that submitted it, as MDC users do. */
		@Bean
		TaskDecorator mdcTaskDecorator() {
			return (task) -> {
				Map<String, String> submitted = MDC.getCopyOfContextMap();
				return () -> {
					Map<String, String> previous = MDC.getCopyOfContextMap();
					MDC.setContextMap((submitted != null) ? submitted : Map.of());
					try {
						task.run();
					}
					finally {
						MDC.setContextMap((previous != null) ? previous : Map.of());
					}
				};
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ObservationStagesConfiguration {

		/** The current observation each stage call saw, as {stage, observation}. */
		final Queue<Object[]> seen = new ConcurrentLinkedQueue<>();

		@Bean
		ObservationRegistry observationRegistry() {
			return ObservationRegistry.create();
		}

		@Bean
		TaskDecorator contextPropagatingTaskDecorator() {
			return new ContextPropagatingTaskDecorator();
		}

		@Bean
		@BlllibStage(stateful = "false", batchSize = 4)
		Stage<Integer, Integer> observedStateless(ObservationRegistry registry) {
			return (x) -> record("stateless", registry, x);
		}

		@Bean
		@BlllibStage(batchSize = 4)
		Stage<Integer, Integer> observedStateful(ObservationRegistry registry) {
			return (x) -> record("stateful", registry, x);
		}

		@Bean
		@BlllibStage(stateful = "2", batchSize = 4)
		Stage<List<Integer>, Integer> observedWindow(ObservationRegistry registry) {
			return (pair) -> record("window", registry, pair.get(1));
		}

		@Bean
		@BlllibStage(stateful = "false", runInMaster = true)
		Stage<Integer, Integer> observedInMaster(ObservationRegistry registry) {
			return (x) -> record("inMaster", registry, x);
		}

		private Integer record(String stage, ObservationRegistry registry, Integer item) {
			Observation current = registry.getCurrentObservation();
			this.seen.add(new Object[] { stage, (current != null) ? current : "none" });
			return item;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OrderedDecoratorsConfiguration {

		final List<String> decorations = Collections.synchronizedList(new ArrayList<>());

		@Bean
		@Order(2)
		TaskDecorator secondDecorator() {
			return (task) -> {
				this.decorations.add("second");
				return task;
			};
		}

		@Bean
		@Order(1)
		TaskDecorator firstDecorator() {
			return (task) -> {
				this.decorations.add("first");
				return task;
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomizersConfiguration {

		@Bean
		@Order(2)
		BlllibWorkerExecutorCustomizer secondCustomizer() {
			return (executor) -> executor.setThreadNamePrefix("second-");
		}

		@Bean
		@Order(1)
		BlllibWorkerExecutorCustomizer firstCustomizer() {
			return (executor) -> executor.setThreadNamePrefix("first-");
		}

	}

}
