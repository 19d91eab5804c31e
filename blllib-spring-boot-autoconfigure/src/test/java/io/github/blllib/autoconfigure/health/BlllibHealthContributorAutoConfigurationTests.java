package io.github.blllib.autoconfigure.health;

import java.util.List;
import java.util.Map;

import io.github.blllib.BlllibStage;
import io.github.blllib.Pipeline;
import io.github.blllib.PipelineFactory;
import io.github.blllib.Stage;
import io.github.blllib.autoconfigure.BlllibAutoConfiguration;
import io.github.blllib.autoconfigure.BlllibHealthContributorAutoConfiguration;
import io.github.blllib.ConsumerThread;
import io.github.blllib.autoconfigure.Gate;
import io.github.blllib.autoconfigure.Runs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link BlllibHealthContributorAutoConfiguration} and the
 * {@link BlllibHealthIndicator} it configures.
 */
class BlllibHealthContributorAutoConfigurationTests {

	private static final int HELD_BATCH_SIZE = 4;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class, BlllibAutoConfiguration.class,
				BlllibHealthContributorAutoConfiguration.class))
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
	void healthIndicatorShouldBeNamedBlllib() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(BlllibHealthIndicator.class)
			.hasBean("blllibHealthIndicator"));
	}

	@Test
	void healthShouldBeUpWithNoPipelinesOpen() {
		this.contextRunner.run((context) -> {
			Health health = context.getBean(BlllibHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("pipelines", List.of());
		});
	}

	@Test
	void healthShouldBeUpWithEachOpenPipelineAsDetail() {
		this.contextRunner.run((context) -> {
			try (Pipeline<Integer, Integer> pipeline = context.getBean(PipelineFactory.class).create("idle", "echo")) {
				Health health = context.getBean(BlllibHealthIndicator.class).health();
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsEntry("pipelines",
						List.of(Map.of("name", "idle", "hasOpenRun", false, "stalledStages", List.of())));
			}
		});
	}

	@Test
	void stageWithItemsInFlightAndNoProgressForStallTimeoutShouldBeReportedDownWithItsFigures() {
		this.contextRunner.withBean(Gate.class, () -> this.gate)
			.withPropertyValues("blllib.health.stall-timeout=1ms")
			.run((context) -> {
				BlllibHealthIndicator indicator = context.getBean(BlllibHealthIndicator.class);
				try (Pipeline<Integer, Integer> pipeline = context.getBean(PipelineFactory.class).create("frozen",
						"held")) {
					this.consumer.drain(pipeline.apply(Runs.range(20)));
					this.gate.entered.await();
					await().untilAsserted(() -> {
						Health health = indicator.health();
						assertThat(health.getStatus()).isEqualTo(Status.DOWN);
						assertThat(stalledStages(health)).singleElement().satisfies((stage) -> {
							assertThat(stage).containsEntry("name", "held")
								.containsEntry("inFlight", HELD_BATCH_SIZE)
								.containsKey("idleMillis");
							assertThat((Long) stage.get("idleMillis")).isNotNegative();
						});
					});
					this.gate.open();
				}
			});
	}

	@Test
	void stageHeldForLessThanStallTimeoutShouldNotBeReported() {
		this.contextRunner.withBean(Gate.class, () -> this.gate).run((context) -> {
			BlllibHealthIndicator indicator = context.getBean(BlllibHealthIndicator.class);
			try (Pipeline<Integer, Integer> pipeline = context.getBean(PipelineFactory.class).create("frozen", "held")) {
				this.consumer.drain(pipeline.apply(Runs.range(20)));
				this.gate.entered.await();
				indicator.health();
				Health health = indicator.health();
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(stalledStages(health)).isEmpty();
				this.gate.open();
			}
		});
	}

	@Test
	void stalledStageThatProgressesAgainShouldNoLongerBeReported() {
		this.contextRunner.withBean(Gate.class, () -> this.gate)
			.withPropertyValues("blllib.health.stall-timeout=1ms")
			.run((context) -> {
				BlllibHealthIndicator indicator = context.getBean(BlllibHealthIndicator.class);
				try (Pipeline<Integer, Integer> pipeline = context.getBean(PipelineFactory.class).create("frozen",
						"held")) {
					this.consumer.drain(pipeline.apply(Runs.range(20)));
					this.gate.entered.await();
					await().until(() -> indicator.health().getStatus().equals(Status.DOWN));
					this.gate.open();
					await().until(() -> !pipeline.hasOpenRun());
					assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
				}
			});
	}

	@Test
	void healthIndicatorShouldBeAbsentWhenDisabled() {
		this.contextRunner.withPropertyValues("management.health.blllib.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(BlllibHealthIndicator.class));
	}

	@Test
	void healthIndicatorShouldBeAbsentWithoutSpringBootHealth() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HealthIndicator.class)).run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(BlllibHealthIndicator.class);
			assertThat(context).hasSingleBean(PipelineFactory.class);
		});
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> stalledStages(Health health) {
		List<Map<String, Object>> pipelines = (List<Map<String, Object>>) health.getDetails().get("pipelines");
		assertThat(pipelines).hasSize(1);
		return (List<Map<String, Object>>) pipelines.get(0).get("stalledStages");
	}

	@Configuration(proxyBeanMethods = false)
	static class StagesConfiguration {

		@Bean
		@BlllibStage(stateful = "false")
		Stage<Integer, Integer> echo() {
			return (x) -> x;
		}

		@Bean
		@BlllibStage(stateful = "false", batchSize = HELD_BATCH_SIZE)
		Stage<Integer, Integer> held(ObjectProvider<Gate> gate) {
			return (x) -> {
				gate.getObject().pass();
				return x;
			};
		}

	}

}
