package io.github.blllib.autoconfigure.metrics;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.blllib.BlllibStage;
import io.github.blllib.Pipeline;
import io.github.blllib.PipelineException;
import io.github.blllib.PipelineFactory;
import io.github.blllib.Stage;
import io.github.blllib.autoconfigure.BlllibAutoConfiguration;
import io.github.blllib.autoconfigure.Gate;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
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
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link BlllibMetricsAutoConfiguration}: the per-stage meters, their removal, the
 * worker pool's executor metrics and back-off.
 */
class BlllibMetricsAutoConfigurationTests {

	private static final int HELD_BATCH_SIZE = 3;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class, BlllibAutoConfiguration.class,
				BlllibMetricsAutoConfiguration.class))
		.withUserConfiguration(StagesConfiguration.class);

	private final ApplicationContextRunner meteredRunner = this.contextRunner.withBean(SimpleMeterRegistry.class);

	private final ExecutorService consumer = Executors.newSingleThreadExecutor();

	@AfterEach
	void stopConsumer() throws InterruptedException {
		this.consumer.shutdownNow();
		assertThat(this.consumer.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void creatingAPipelineShouldRegisterEveryMeterTaggedWithPipelineAndStage() {
		this.meteredRunner.run((context) -> {
			try (Pipeline<Integer, Integer> pipeline = factory(context).create("numbers", "twice", "classify")) {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				for (String stage : List.of("twice", "classify")) {
					assertThat(registry.get(BlllibMeterNames.STAGE_IN_FLIGHT).tags("pipeline", "numbers", "stage", stage).gauge())
						.isNotNull();
					for (String outcome : List.of("success", "error", "dropped")) {
						assertThat(registry.get(BlllibMeterNames.STAGE_PROCESSED)
							.tags("pipeline", "numbers", "stage", stage, "outcome", outcome)
							.functionCounter()).isNotNull();
					}
					assertThat(registry.get(BlllibMeterNames.STAGE_DURATION).tags("pipeline", "numbers", "stage", stage).functionTimer())
						.isNotNull();
				}
				assertThat(registry.find(BlllibMeterNames.STAGE_PROCESSED).meters()).hasSize(6);
			}
		});
	}

	@Test
	void metersShouldHaveDescriptionsAndTheInFlightGaugeCountsItems() {
		this.meteredRunner.run((context) -> {
			try (Pipeline<Integer, Integer> pipeline = factory(context).create("numbers", "twice")) {
				List<Meter> meters = stageMeters(context.getBean(MeterRegistry.class));
				assertThat(meters).hasSize(5).allSatisfy((meter) -> assertThat(meter.getId().getDescription()).isNotBlank());
				assertThat(stageMeter(context, BlllibMeterNames.STAGE_IN_FLIGHT, "numbers", "twice").getId().getBaseUnit())
					.isEqualTo("items");
			}
		});
	}

	@Test
	void processedCounterShouldCountEachOutcome() {
		this.meteredRunner.run((context) -> {
			try (Pipeline<Integer, Integer> pipeline = factory(context).create("numbers", "classify")) {
				// classify: odd numbers pass, even numbers are dropped, 5 throws
				assertThatExceptionOfType(PipelineException.class)
					.isThrownBy(() -> drain(pipeline.apply(List.of(1, 2, 3, 4, 5))));
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				await().untilAsserted(() -> {
					assertThat(processed(registry, "numbers", "classify", "success").count()).isEqualTo(2);
					assertThat(processed(registry, "numbers", "classify", "dropped").count()).isEqualTo(2);
					assertThat(processed(registry, "numbers", "classify", "error").count()).isEqualTo(1);
				});
			}
		});
	}

	@Test
	void durationTimerShouldCountEveryFinishedCallAndTheTimeSpentInTheStage() {
		this.meteredRunner.run((context) -> {
			try (Pipeline<Integer, Integer> pipeline = factory(context).create("numbers", "twice")) {
				assertThat(drain(pipeline.apply(range(10)))).hasSize(10);
				FunctionTimer timer = context.getBean(MeterRegistry.class)
					.get(BlllibMeterNames.STAGE_DURATION)
					.tags("pipeline", "numbers", "stage", "twice")
					.functionTimer();
				await().untilAsserted(() -> assertThat(timer.count()).isEqualTo(10));
				long totalTimeNanos = pipeline.statistics().get(0).totalTimeNanos();
				assertThat(totalTimeNanos).isPositive();
				assertThat(timer.totalTime(TimeUnit.NANOSECONDS)).isCloseTo(totalTimeNanos, within(1.0));
			}
		});
	}

	@Test
	void inFlightGaugeShouldReadExactlyTheBatchSizeWhileTheStageIsHeldAndZeroAfterTheRun() {
		this.meteredRunner.run((context) -> {
			Gate gate = context.getBean(Gate.class);
			try (Pipeline<Integer, Integer> pipeline = factory(context).create("frozen", "held")) {
				Future<List<Integer>> outputs = this.consumer.submit(() -> drain(pipeline.apply(range(20))));
				Gauge inFlight = context.getBean(MeterRegistry.class)
					.get(BlllibMeterNames.STAGE_IN_FLIGHT)
					.tags("pipeline", "frozen", "stage", "held")
					.gauge();
				assertThat(gate.entered.await(10, TimeUnit.SECONDS)).isTrue();
				await().untilAsserted(() -> assertThat(inFlight.value()).isEqualTo(HELD_BATCH_SIZE));
				gate.open();
				assertThat(outputs.get(10, TimeUnit.SECONDS)).isEqualTo(range(20));
				assertThat(inFlight.value()).isZero();
			}
			finally {
				gate.open();
			}
		});
	}

	@Test
	void closingAPipelineShouldRemoveItsMeters() {
		this.meteredRunner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			Pipeline<Integer, Integer> pipeline = factory(context).create("numbers", "twice", "classify");
			assertThat(stageMeters(registry)).hasSize(10);
			pipeline.close();
			assertThat(stageMeters(registry)).isEmpty();
		});
	}

	@Test
	void meterCountShouldStayFlatOverAThousandCreatedAndClosedPipelines() {
		this.meteredRunner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			PipelineFactory factory = factory(context);
			int before = registry.getMeters().size();
			for (int i = 0; i < 1_000; i++) {
				try (Pipeline<Integer, Integer> pipeline = factory.create("job-" + i, "twice")) {
					assertThat(drain(pipeline.apply(List.of(i)))).containsExactly(2 * i);
					assertThat(registry.getMeters()).hasSize(before + 5);
				}
			}
			assertThat(registry.getMeters()).hasSize(before);
		});
	}

	@Test
	void openPipelinesSharingANameShouldShareMetersThatSumTheirFigures() {
		this.meteredRunner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			try (Pipeline<Integer, Integer> first = factory(context).create("twin", "twice");
					Pipeline<Integer, Integer> second = factory(context).create("twin", "twice")) {
				drain(first.apply(range(3)));
				drain(second.apply(range(4)));
				assertThat(stageMeters(registry)).hasSize(5);
				await().untilAsserted(() -> assertThat(processed(registry, "twin", "twice", "success").count()).isEqualTo(7));
			}
		});
	}

	@Test
	void sharedMetersShouldKeepTheirCountsUntilTheLastPipelineOfTheNameCloses() {
		this.meteredRunner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			Pipeline<Integer, Integer> first = factory(context).create("twin", "twice");
			Pipeline<Integer, Integer> second = factory(context).create("twin", "twice");
			drain(first.apply(range(3)));
			drain(second.apply(range(4)));
			FunctionCounter succeeded = processed(registry, "twin", "twice", "success");
			await().untilAsserted(() -> assertThat(succeeded.count()).isEqualTo(7));
			first.close();
			assertThat(succeeded.count()).isEqualTo(7);
			assertThat(stageMeters(registry)).hasSize(5);
			second.close();
			assertThat(stageMeters(registry)).isEmpty();
		});
	}

	@Test
	void stageMetersShouldBeOffWhenMetricsAreDisabled() {
		this.meteredRunner.withPropertyValues("blllib.metrics.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(StageMeterBinder.class);
			try (Pipeline<Integer, Integer> pipeline = factory(context).create("numbers", "twice")) {
				assertThat(drain(pipeline.apply(range(3)))).hasSize(3);
				assertThat(stageMeters(context.getBean(MeterRegistry.class))).isEmpty();
			}
		});
	}

	@Test
	void metricsShouldBackOffWithoutAMeterRegistryBean() {
		this.contextRunner.run((context) -> {
			assertThat(context).doesNotHaveBean(StageMeterBinder.class);
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
	void userDefinedStageMeterBinderShouldReplaceTheAutoConfiguredOne() {
		this.meteredRunner.withBean("customBinder", StageMeterBinder.class, () -> new StageMeterBinder(new SimpleMeterRegistry()))
			.run((context) -> assertThat(context).getBeans(StageMeterBinder.class).containsOnlyKeys("customBinder"));
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

	private static Meter stageMeter(AssertableApplicationContext context, String name, String pipeline, String stage) {
		return context.getBean(MeterRegistry.class).get(name).tags("pipeline", pipeline, "stage", stage).meter();
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

		@Bean
		Gate gate() {
			return new Gate();
		}

		@Bean
		@BlllibStage(stateful = "false", batchSize = HELD_BATCH_SIZE)
		Stage<Integer, Integer> held(Gate gate) {
			return (x) -> {
				gate.pass();
				return x;
			};
		}

	}

}
