package io.github.blllib.autoconfigure.metrics;

import java.util.List;

import io.github.blllib.BlllibStage;
import io.github.blllib.Pipeline;
import io.github.blllib.PipelineFactory;
import io.github.blllib.Stage;
import io.github.blllib.autoconfigure.BlllibAutoConfiguration;
import io.github.blllib.micrometer.BlllibMeterNames;
import io.github.blllib.micrometer.PipelineMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.task.TaskExecutorMetricsAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static io.github.blllib.autoconfigure.Runs.drain;
import static io.github.blllib.autoconfigure.Runs.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link BlllibMetricsAutoConfiguration}: the {@link PipelineMetrics} bean that binds
 * the factory's pipelines, the worker pool's executor metrics and back-off. What the meters read
 * is pinned by blllib-micrometer's own tests.
 */
class BlllibMetricsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class, BlllibAutoConfiguration.class,
				BlllibMetricsAutoConfiguration.class))
		.withUserConfiguration(StagesConfiguration.class);

	private final ApplicationContextRunner meteredRunner = this.contextRunner.withBean(SimpleMeterRegistry.class);

	@Test
	void pipelinesFromTheFactoryShouldGetEveryStageMeterTaggedWithPipelineAndStageBeanName() {
		this.meteredRunner.run((context) -> {
			assertThat(context).hasSingleBean(PipelineMetrics.class);
			try (Pipeline<Integer, Integer> pipeline = factory(context).create("numbers", "twice", "classify")) {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				for (String stage : List.of("twice", "classify")) {
					assertThat(registry.get(BlllibMeterNames.STAGE_IN_FLIGHT).tags("pipeline", "numbers", "stage", stage).gauge())
						.isNotNull();
					for (String outcome : List.of("success", "error", "dropped", "skipped")) {
						assertThat(processed(registry, "numbers", stage, outcome)).isNotNull();
					}
					assertThat(registry.get(BlllibMeterNames.STAGE_DURATION).tags("pipeline", "numbers", "stage", stage).functionTimer())
						.isNotNull();
				}
				assertThat(stageMeters(registry)).hasSize(16);
			}
		});
	}

	@Test
	void pipelinesFromTheFactoryShouldBeCountedInTheContextsMeterRegistry() {
		this.meteredRunner.run((context) -> {
			try (Pipeline<Integer, Integer> pipeline = factory(context).create("numbers", "twice")) {
				assertThat(drain(pipeline.apply(range(3)))).containsExactly(0, 2, 4);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				await().untilAsserted(() -> assertThat(processed(registry, "numbers", "twice", "success").count()).isEqualTo(3));
			}
		});
	}

	@Test
	void closingAPipelineFromTheFactoryShouldRemoveItsMeters() {
		this.meteredRunner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			Pipeline<Integer, Integer> pipeline = factory(context).create("numbers", "twice", "classify");
			assertThat(stageMeters(registry)).hasSize(16);
			pipeline.close();
			assertThat(stageMeters(registry)).isEmpty();
		});
	}

	@Test
	void closingTheContextShouldRemoveTheMetersOfPipelinesStillOpen() {
		this.meteredRunner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			factory(context).create("numbers", "twice", "classify");
			factory(context).create("other", "twice");
			assertThat(stageMeters(registry)).hasSize(24);
			context.close();
			assertThat(stageMeters(registry)).isEmpty();
		});
	}

	@Test
	void stageMetersShouldBeOffWhenMetricsAreDisabled() {
		this.meteredRunner.withPropertyValues("blllib.metrics.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(PipelineMetrics.class);
			try (Pipeline<Integer, Integer> pipeline = factory(context).create("numbers", "twice")) {
				assertThat(drain(pipeline.apply(range(3)))).hasSize(3);
				assertThat(stageMeters(context.getBean(MeterRegistry.class))).isEmpty();
			}
		});
	}

	@Test
	void stageMetersShouldBeOffWithoutBlllibMicrometerWhileTheWorkerPoolIsStillBound() {
		this.meteredRunner.withClassLoader(new FilteredClassLoader(PipelineMetrics.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(PipelineMetrics.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			try (Pipeline<Integer, Integer> pipeline = factory(context).create("numbers", "twice")) {
				assertThat(drain(pipeline.apply(range(3)))).containsExactly(0, 2, 4);
				assertThat(stageMeters(registry)).isEmpty();
			}
			assertThat(registry.find("executor.active").tag("name", "blllib-worker").meters()).hasSize(1);
		});
	}

	@Test
	void metricsShouldBackOffWithoutAMeterRegistryBean() {
		this.contextRunner.run((context) -> {
			assertThat(context).doesNotHaveBean(PipelineMetrics.class);
			assertThat(context).doesNotHaveBean(WorkerPoolMetrics.class);
		});
	}

	@Test
	void metricsShouldBackOffWithoutMicrometerAndPipelinesShouldStillRun() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(BlllibMetricsAutoConfiguration.class);
			try (Pipeline<Integer, Integer> pipeline = factory(context).create("numbers", "twice")) {
				assertThat(drain(pipeline.apply(range(3)))).containsExactly(0, 2, 4);
			}
		});
	}

	@Test
	void userDefinedPipelineMetricsShouldReplaceTheAutoConfiguredOne() {
		this.meteredRunner.withBean("customMetrics", PipelineMetrics.class, () -> new PipelineMetrics(new SimpleMeterRegistry()))
			.run((context) -> assertThat(context).getBeans(PipelineMetrics.class).containsOnlyKeys("customMetrics"));
	}

	@Test
	void workerPoolShouldBeBoundOnceAsBlllibWorkerWhenSpringBootBindsTaskExecutors() {
		this.meteredRunner
			.withConfiguration(
					AutoConfigurations.of(MetricsAutoConfiguration.class, TaskExecutorMetricsAutoConfiguration.class))
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.find("executor.active").tag("name", "blllib-worker").meters()).hasSize(1);
				assertThat(registry.find("executor.active").tag("name", "blllibWorkerExecutor").meters()).isEmpty();
				assertThat(context).doesNotHaveBean(WorkerPoolMetrics.class);
			});
	}

	@Test
	void springBootAloneShouldBindTheWorkerPoolUnderItsBeanName() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class, BlllibAutoConfiguration.class,
					MetricsAutoConfiguration.class, TaskExecutorMetricsAutoConfiguration.class))
			.withBean(SimpleMeterRegistry.class)
			.run((context) -> assertThat(context.getBean(MeterRegistry.class)
				.find("executor.active")
				.tag("name", "blllibWorkerExecutor")
				.meters()).hasSize(1));
	}

	@Test
	void workerPoolShouldBeBoundOnceAsBlllibWorkerWithoutSpringBootsTaskExecutorMetrics() {
		this.meteredRunner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.find("executor.active").tag("name", "blllib-worker").meters()).hasSize(1);
			assertThat(registry.find("executor.active").meters()).hasSize(1);
		});
	}

	@Test
	void applicationTaskExecutorShouldKeepItsOwnExecutorMetrics() {
		this.meteredRunner
			.withConfiguration(
					AutoConfigurations.of(MetricsAutoConfiguration.class, TaskExecutorMetricsAutoConfiguration.class))
			.run((context) -> assertThat(context.getBean(MeterRegistry.class)
				.find("executor.active")
				.tag("name", "applicationTaskExecutor")
				.meters()).hasSize(1));
	}

	private static PipelineFactory factory(AssertableApplicationContext context) {
		return context.getBean(PipelineFactory.class);
	}

	private static List<Meter> stageMeters(MeterRegistry registry) {
		return registry.getMeters().stream().filter((meter) -> meter.getId().getName().startsWith("blllib.")).toList();
	}

	private static FunctionCounter processed(MeterRegistry registry, String pipeline, String stage, String outcome) {
		return registry.get(BlllibMeterNames.STAGE_PROCESSED)
			.tags("pipeline", pipeline, "stage", stage, "outcome", outcome)
			.functionCounter();
	}

	@Configuration(proxyBeanMethods = false)
	static class StagesConfiguration {

		@Bean
		@BlllibStage(stateful = "false", batchSize = 4)
		Stage<Integer, Integer> twice() {
			return (x) -> 2 * x;
		}

		/** Stateful, one item at a time: odd numbers pass, even numbers are dropped, 5 throws. */
		@Bean
		Stage<Integer, Integer> classify() {
			return (x) -> {
				if (x == 5) {
					throw new IllegalArgumentException("five");
				}
				return (x % 2 == 0) ? null : x;
			};
		}

	}

}
