package io.github.blllib.autoconfigure.observation;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.blllib.BlllibStage;
import io.github.blllib.Pipeline;
import io.github.blllib.PipelineException;
import io.github.blllib.PipelineFactory;
import io.github.blllib.PipelineRun;
import io.github.blllib.Stage;
import io.github.blllib.autoconfigure.BlllibAutoConfiguration;
import io.github.blllib.ConsumerThread;
import io.github.blllib.autoconfigure.Gate;
import io.github.blllib.autoconfigure.Runs;
import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link BlllibObservationAutoConfiguration} and the {@link PipelineRunObservations}
 * it configures.
 */
class BlllibObservationAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class, BlllibAutoConfiguration.class,
				BlllibObservationAutoConfiguration.class))
		.withUserConfiguration(StagesConfiguration.class)
		.withPropertyValues("blllib.n-cpu=2");

	private final Gate gate = new Gate();

	@RegisterExtension
	final ConsumerThread consumer = ConsumerThread.withoutThreadCheck();

	@AfterEach
	void openGate() {
		this.gate.open();
	}

	@Test
	void runObservationsShouldBeConfiguredWithAnObservationRegistry() {
		this.contextRunner.withUserConfiguration(RecordingRegistryConfiguration.class)
			.run((context) -> assertThat(context).hasSingleBean(PipelineRunObservations.class));
	}

	@Test
	void runObservationsShouldBackOffWithoutAnObservationRegistry() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(PipelineRunObservations.class));
	}

	@Test
	void runObservationsShouldBeOffWhenDisabled() {
		this.contextRunner.withUserConfiguration(RecordingRegistryConfiguration.class)
			.withPropertyValues("blllib.observations.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(PipelineRunObservations.class));
	}

	@Test
	void runObservationsShouldBackOffWithoutMicrometerObservationAndPipelinesShouldStillRun() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(ObservationRegistry.class)).run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(PipelineRunObservations.class);
			try (Pipeline<Integer, Integer> pipeline = context.getBean(PipelineFactory.class).create("p", "echo")) {
				assertThat(pipeline.apply(Runs.range(3)).stream().toList()).containsExactly(0, 1, 2);
			}
		});
	}

	@Test
	void exhaustedRunShouldBeOneObservationWithPipelineKeyAndExhaustedOutcome() {
		this.contextRunner.withUserConfiguration(RecordingRegistryConfiguration.class).run((context) -> {
			try (Pipeline<Integer, Integer> pipeline = context.getBean(PipelineFactory.class).create("numbers",
					"echo")) {
				Runs.drain(pipeline.apply(Runs.range(10)));
			}
			assertThat(context.getBean(RecordingHandler.class).stopped).singleElement().satisfies((run) -> {
				assertThat(run.getName()).isEqualTo(PipelineRunObservations.RUN);
				assertThat(run.getContextualName()).isEqualTo("numbers run");
				assertThat(run.getLowCardinalityKeyValues()).containsExactlyInAnyOrder(
						KeyValue.of(PipelineRunObservations.KEY_PIPELINE, "numbers"),
						KeyValue.of(PipelineRunObservations.KEY_OUTCOME, "exhausted"));
			});
		});
	}

	@Test
	void runEndedByAFailingStageShouldStopWithFailedOutcomeAndTheFailureAsError() {
		this.contextRunner.withUserConfiguration(RecordingRegistryConfiguration.class).run((context) -> {
			try (Pipeline<Integer, Integer> pipeline = context.getBean(PipelineFactory.class).create("numbers",
					"failOnThree")) {
				PipelineRun<Integer> run = pipeline.apply(Runs.range(10));
				assertThatExceptionOfType(PipelineException.class).isThrownBy(() -> Runs.drain(run));
			}
			assertThat(context.getBean(RecordingHandler.class).stopped).singleElement().satisfies((run) -> {
				assertThat(run.getLowCardinalityKeyValue(PipelineRunObservations.KEY_OUTCOME))
					.isEqualTo(KeyValue.of(PipelineRunObservations.KEY_OUTCOME, "failed"));
				assertThat(run.getError()).isInstanceOf(PipelineException.class);
			});
		});
	}

	@Test
	void runClosedByItsConsumerShouldStopWithClosedOutcome() {
		this.contextRunner.withUserConfiguration(RecordingRegistryConfiguration.class).run((context) -> {
			try (Pipeline<Integer, Integer> pipeline = context.getBean(PipelineFactory.class).create("numbers",
					"echo")) {
				PipelineRun<Integer> run = pipeline.apply(Runs.range(10));
				run.next();
				run.close();
			}
			assertThat(context.getBean(RecordingHandler.class).stopped).singleElement()
				.satisfies((run) -> assertThat(run.getLowCardinalityKeyValue(PipelineRunObservations.KEY_OUTCOME))
					.isEqualTo(KeyValue.of(PipelineRunObservations.KEY_OUTCOME, "closed")));
		});
	}

	@Test
	void eachRunOfAPipelineShouldBeAnObservationOfItsOwn() {
		this.contextRunner.withUserConfiguration(RecordingRegistryConfiguration.class).run((context) -> {
			try (Pipeline<Integer, Integer> pipeline = context.getBean(PipelineFactory.class).create("numbers",
					"echo")) {
				Runs.drain(pipeline.apply(Runs.range(3)));
				Runs.drain(pipeline.apply(Runs.range(3)));
			}
			assertThat(context.getBean(RecordingHandler.class).stopped).hasSize(2);
		});
	}

	@Test
	void runClosedBeforeItsFirstPullShouldNotBeObserved() {
		this.contextRunner.withUserConfiguration(RecordingRegistryConfiguration.class).run((context) -> {
			try (Pipeline<Integer, Integer> pipeline = context.getBean(PipelineFactory.class).create("numbers",
					"echo")) {
				pipeline.apply(Runs.range(3)).close();
			}
			RecordingHandler handler = context.getBean(RecordingHandler.class);
			assertThat(handler.started).isEmpty();
			assertThat(handler.stopped).isEmpty();
		});
	}

	@Test
	void runObservationShouldBeAChildOfTheConsumingThreadsCurrentObservation() {
		this.contextRunner.withUserConfiguration(RecordingRegistryConfiguration.class).run((context) -> {
			ObservationRegistry registry = context.getBean(ObservationRegistry.class);
			Observation request = Observation.start("request", registry);
			try (Pipeline<Integer, Integer> pipeline = context.getBean(PipelineFactory.class).create("numbers",
					"echo"); Observation.Scope scope = request.openScope()) {
				Runs.drain(pipeline.apply(Runs.range(3)));
			}
			finally {
				request.stop();
			}
			assertThat(context.getBean(RecordingHandler.class).stopped)
				.filteredOn((run) -> run.getName().equals(PipelineRunObservations.RUN))
				.singleElement()
				.satisfies((run) -> assertThat(run.getParentObservation()).isSameAs(request));
		});
	}

	@Test
	void openRunShouldBeCountedByBlllibRunActiveUntilItEnds() {
		this.contextRunner.withUserConfiguration(MeterObservationConfiguration.class)
			.withBean(Gate.class, () -> this.gate)
			.run((context) -> {
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				try (Pipeline<Integer, Integer> pipeline = context.getBean(PipelineFactory.class).create("frozen",
						"held")) {
					Future<List<Integer>> outputs = this.consumer.drain(pipeline.apply(Runs.range(5)));
					this.gate.entered.await();
					LongTaskTimer active = meters.get("blllib.run.active").tag("pipeline", "frozen").longTaskTimer();
					assertThat(active.activeTasks()).isOne();
					this.gate.open();
					assertThat(outputs.get(10, TimeUnit.SECONDS)).hasSize(5);
					await().untilAsserted(() -> assertThat(active.activeTasks()).isZero());
					assertThat(meters.get("blllib.run").tags("pipeline", "frozen", "outcome", "exhausted").timer().count())
						.isOne();
				}
			});
	}

	@Test
	void runsShouldBeTimedAsBlllibRunThroughSpringBootsObservationAndMetricsAutoConfiguration() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
			.run((context) -> {
				try (Pipeline<Integer, Integer> pipeline = context.getBean(PipelineFactory.class).create("numbers",
						"echo")) {
					Runs.drain(pipeline.apply(Runs.range(3)));
				}
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(meters.get("blllib.run").tags("pipeline", "numbers", "outcome", "exhausted").timer().count())
					.isOne();
				assertThat(meters.get("blllib.run.active").tag("pipeline", "numbers").longTaskTimer().activeTasks())
					.isZero();
			});
	}

	static class RecordingHandler implements ObservationHandler<Observation.Context> {

		final List<Observation.Context> started = new CopyOnWriteArrayList<>();

		final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

		@Override
		public void onStart(Observation.Context context) {
			this.started.add(context);
		}

		@Override
		public void onStop(Observation.Context context) {
			this.stopped.add(context);
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RecordingRegistryConfiguration {

		@Bean
		RecordingHandler recordingHandler() {
			return new RecordingHandler();
		}

		@Bean
		ObservationRegistry observationRegistry(RecordingHandler handler) {
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig().observationHandler(handler);
			return registry;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class MeterObservationConfiguration {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		ObservationRegistry observationRegistry(MeterRegistry meterRegistry) {
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(meterRegistry));
			return registry;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class StagesConfiguration {

		@Bean
		@BlllibStage(stateful = "false")
		Stage<Integer, Integer> echo() {
			return (x) -> x;
		}

		@Bean
		@BlllibStage(stateful = "false")
		Stage<Integer, Integer> failOnThree() {
			return (x) -> {
				if (x == 3) {
					throw new IllegalStateException("three");
				}
				return x;
			};
		}

		@Bean
		@BlllibStage(stateful = "false")
		Stage<Integer, Integer> held(ObjectProvider<Gate> gate) {
			return (x) -> {
				gate.getObject().pass();
				return x;
			};
		}

	}

}
