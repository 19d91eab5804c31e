package io.github.blllib.autoconfigure;

import java.util.List;
import java.util.concurrent.Executor;

import io.github.blllib.BlllibStage;
import io.github.blllib.PipelineFactory;
import io.github.blllib.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Tests that bad blllib configuration fails start-up with a {@link FailureAnalysis} naming the
 * setting and its allowed values.
 */
@ExtendWith(OutputCaptureExtension.class)
class BlllibConfigurationFailureAnalyzerTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class, BlllibAutoConfiguration.class))
		.withUserConfiguration(StagesConfiguration.class);

	@Test
	void statefulPropertyThatIsNotTrueFalseOrPositiveShouldFailWithAnalysis() {
		this.contextRunner.withPropertyValues("blllib.stages.diff.stateful=0").run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).isEqualTo(String.format("Invalid blllib configuration:%n%n"
					+ "    Setting: blllib.stages.diff.stateful%n    Value: \"0\"%n"
					+ "    Reason: stage 'diff' must be stateful (true), stateless (false) or take windows of k >= 1 items%n"
					+ "    Allowed: 'true', 'false' or a positive integer window size (1, 2, 3, ...)"));
			assertThat(analysis.getAction()).isEqualTo("Change blllib.stages.diff.stateful to 'true', 'false' or a "
					+ "positive integer window size (1, 2, 3, ...).");
		});
	}

	@Test
	void statefulAnnotationThatIsNotTrueFalseOrPositiveShouldFailWithAnalysis() {
		this.contextRunner.withUserConfiguration(BadAnnotationConfiguration.class).run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("Setting: @BlllibStage(stateful) on stage bean 'sometimes'",
					"Value: \"sometimes\"", "Allowed: 'true', 'false' or a positive integer window size");
			assertThat(analysis.getAction()).isEqualTo("Change @BlllibStage(stateful) on stage bean 'sometimes' to "
					+ "'true', 'false' or a positive integer window size (1, 2, 3, ...).");
		});
	}

	@Test
	void badAnnotationOnlyOnTheRuntimeClassOfABeanMethodShouldFailWithAnalysis() {
		this.contextRunner.withUserConfiguration(HiddenBadAnnotationConfiguration.class)
			.run((context) -> assertThat(analyze(context.getStartupFailure()).getDescription())
				.contains("Setting: @BlllibStage(stateful) on stage bean 'hidden'", "Value: \"sometimes\""));
	}

	@Test
	void statefulPlaceholderThatCannotBeResolvedShouldFailWithAnalysis() {
		this.contextRunner.withUserConfiguration(PlaceholderConfiguration.class).run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("Setting: @BlllibStage(stateful) on stage bean 'window'",
					"Value: \"${missing.window}\"", "its placeholder cannot be resolved");
			assertThat(analysis.getAction()).contains("a ${...} placeholder that resolves to one of them");
		});
	}

	@Test
	void statefulPlaceholderThatResolvesToABadValueShouldFailWithAnalysis() {
		this.contextRunner.withUserConfiguration(PlaceholderConfiguration.class)
			.withPropertyValues("missing.window=-2")
			.run((context) -> assertThat(analyze(context.getStartupFailure()).getDescription())
				.contains("Setting: @BlllibStage(stateful) on stage bean 'window'", "Value: \"-2\""));
	}

	@Test
	void batchSizePropertyBelowOneShouldFailWithAnalysis() {
		this.contextRunner.withPropertyValues("blllib.stages.diff.batch-size=0").run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("Setting: blllib.stages.diff.batch-size", "Value: \"0\"",
					"Allowed: an integer of at least 1");
			assertThat(analysis.getAction()).isEqualTo("Change blllib.stages.diff.batch-size to an integer of at least 1.");
		});
	}

	@Test
	void batchSizeAnnotationBelowOneShouldFailWithAnalysis() {
		this.contextRunner.withUserConfiguration(BadAnnotationConfiguration.class)
			.withPropertyValues("blllib.stages.sometimes.stateful=false")
			.run((context) -> assertThat(analyze(context.getStartupFailure()).getAction())
				.isEqualTo("Change @BlllibStage(batchSize) on stage bean 'sometimes' to an integer of at least 1."));
	}

	@Test
	void batchSizePropertyWithAKeyInAnotherFormShouldBeNamedAsWritten() {
		this.contextRunner.withPropertyValues("blllib.stages.DIFF.batch-size=-1")
			.run((context) -> assertThat(analyze(context.getStartupFailure()).getDescription()).contains(
					"Setting: blllib.stages.DIFF.batch-size", "Value: \"-1\"",
					"Reason: stage 'diff' needs room for at least one item in flight"));
	}

	@Test
	void badSettingShouldFailStartUpWhenNothingHasAskedForTheStageSettings() {
		this.contextRunner.withUserConfiguration(OwnPoolAndFactoryConfiguration.class)
			.withPropertyValues("blllib.stages.total.stateful=often")
			.run((context) -> assertThat(analyze(context.getStartupFailure()).getDescription())
				.contains("Setting: blllib.stages.total.stateful", "Value: \"often\""));
	}

	@Test
	void nCpuBelowOneShouldFailWithAnalysis() {
		this.contextRunner.withPropertyValues("blllib.n-cpu=0").run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("Setting: blllib.n-cpu", "Value: \"0\"",
					"Reason: the worker pool needs at least one thread");
			assertThat(analysis.getAction()).isEqualTo("Change blllib.n-cpu to an integer of at least 1, or no value "
					+ "for the default max(1, processors - stateful stages).");
		});
	}

	@Test
	void closeTimeoutBelowZeroShouldFailWithAnalysis() {
		this.contextRunner.withPropertyValues("blllib.shutdown.close-timeout=-1s").run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("Setting: blllib.shutdown.close-timeout",
					"Value: \"-1000ms\"", "Allowed: a duration of zero or more, such as 10s or 500ms");
			assertThat(analysis.getAction())
				.isEqualTo("Change blllib.shutdown.close-timeout to a duration of zero or more, such as 10s or 500ms.");
		});
	}

	@Test
	void awaitTerminationPeriodBelowZeroShouldFailWithAnalysis() {
		this.contextRunner.withPropertyValues("blllib.shutdown.await-termination-period=-2s").run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("Setting: blllib.shutdown.await-termination-period",
					"Value: \"-2000ms\"", "Allowed: a duration of zero or more, such as 30s (0: close open runs at once)");
		});
	}

	@Test
	void stallTimeoutThatIsNotPositiveShouldFailWithAnalysis() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(BlllibHealthContributorAutoConfiguration.class))
			.withPropertyValues("blllib.health.stall-timeout=0s")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("Setting: blllib.health.stall-timeout",
						"Value: \"0ms\"", "Allowed: a positive duration, such as 1m or 30s");
				assertThat(analysis.getAction())
					.isEqualTo("Change blllib.health.stall-timeout to a positive duration, such as 1m or 30s.");
			});
	}

	@Test
	void stallTimeoutLongerThanBlllibCountsShouldFailWithAnalysis() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(BlllibHealthContributorAutoConfiguration.class))
			.withPropertyValues("blllib.health.stall-timeout=200000d")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("Setting: blllib.health.stall-timeout",
						"Allowed: a positive duration, such as 1m or 30s, at most 106751 days");
				assertThat(analysis.getAction()).isEqualTo(
						"Change blllib.health.stall-timeout to a positive duration, such as 1m or 30s, at most 106751 days.");
			});
	}

	@Test
	void retryDelayLongerThanBlllibCountsShouldFailWithAnalysis() {
		this.contextRunner
			.withPropertyValues("blllib.stages.total.retry.max-retries=2", "blllib.stages.total.retry.delay=200000d")
			.run((context) -> assertThat(analyze(context.getStartupFailure()).getDescription()).contains(
					"Setting: blllib.stages.total.retry.delay", "Value: \"17280000000000ms\"",
					"Allowed: a duration of zero or more, such as 100ms or 1s, at most 106751 days"));
	}

	@Test
	void retryMaxDelayLongerThanBlllibCountsShouldFailWithAnalysis() {
		this.contextRunner
			.withPropertyValues("blllib.stages.total.retry.max-retries=2", "blllib.stages.total.retry.max-delay=200000d")
			.run((context) -> assertThat(analyze(context.getStartupFailure()).getDescription())
				.contains("Setting: blllib.stages.total.retry.max-delay", "at most 106751 days"));
	}

	@Test
	void timeoutLongerThanBlllibCountsShouldFailWithAnalysis() {
		this.contextRunner.withPropertyValues("blllib.stages.total.timeout=200000d").run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("Setting: blllib.stages.total.timeout",
					"Allowed: a positive duration, such as 500ms or 2s, at most 106751 days");
			assertThat(analysis.getAction()).isEqualTo(
					"Change blllib.stages.total.timeout to a positive duration, such as 500ms or 2s, at most 106751 days.");
		});
	}

	@Test
	void theLongestTimeoutAndDelaysShouldBeAccepted() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(BlllibHealthContributorAutoConfiguration.class))
			.withPropertyValues("blllib.stages.total.timeout=106751d", "blllib.stages.total.retry.max-retries=2",
					"blllib.stages.total.retry.delay=106751d", "blllib.stages.total.retry.max-delay=106751d",
					"blllib.health.stall-timeout=106751d")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void configuredPipelineNamingAMissingStageShouldFailWithAnalysis() {
		this.contextRunner.withPropertyValues("blllib.pipelines.numbers.stages=diff,triple").run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("Setting: blllib.pipelines.numbers.stages",
					"Value: \"triple\"", "Reason: pipeline 'numbers' names stage 'triple' but there is no Stage bean "
							+ "by that name");
			assertThat(analysis.getAction()).isEqualTo("Change blllib.pipelines.numbers.stages to a comma-separated "
					+ "list of Stage bean names, each one of: diff, total.");
		});
	}

	@Test
	void configuredPipelineNamingAStageTwiceShouldFailWithAnalysis() {
		this.contextRunner.withPropertyValues("blllib.pipelines.numbers.stages=diff,total,diff")
			.run((context) -> assertThat(analyze(context.getStartupFailure()).getDescription())
				.contains("Setting: blllib.pipelines.numbers.stages", "Value: \"diff\"",
						"Reason: pipeline 'numbers' names stage 'diff' twice"));
	}

	@Test
	void stagePropertyForAMissingStageBeanShouldFailWithAnalysis() {
		this.contextRunner.withPropertyValues("blllib.stages.triple.batch-size=2").run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("Setting: blllib.stages.triple", "Value: \"triple\"",
					"Reason: there is no Stage bean named 'triple'", "Allowed: the name of a Stage bean: diff, total");
			assertThat(analysis.getAction()).isEqualTo("Rename blllib.stages.triple to one of the Stage beans "
					+ "(diff, total) or define a Stage bean named 'triple'.");
		});
	}

	@Test
	void maxRetriesBelowZeroShouldFailWithAnalysis() {
		this.contextRunner.withPropertyValues("blllib.stages.total.retry.max-retries=-1").run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("Setting: blllib.stages.total.retry.max-retries",
					"Value: \"-1\"", "Allowed: an integer of zero or more");
			assertThat(analysis.getAction())
				.isEqualTo("Change blllib.stages.total.retry.max-retries to an integer of zero or more.");
		});
	}

	@Test
	void retryDelayBelowZeroShouldFailWithAnalysis() {
		this.contextRunner
			.withPropertyValues("blllib.stages.total.retry.max-retries=2", "blllib.stages.total.retry.delay=-5ms")
			.run((context) -> assertThat(analyze(context.getStartupFailure()).getDescription()).contains(
					"Setting: blllib.stages.total.retry.delay", "Value: \"-5ms\"",
					"Allowed: a duration of zero or more, such as 100ms or 1s"));
	}

	@Test
	void retryMaxDelayBelowZeroShouldFailWithAnalysis() {
		this.contextRunner
			.withPropertyValues("blllib.stages.total.retry.max-retries=2", "blllib.stages.total.retry.max-delay=-1s")
			.run((context) -> assertThat(analyze(context.getStartupFailure()).getDescription())
				.contains("Setting: blllib.stages.total.retry.max-delay", "Value: \"-1000ms\""));
	}

	@Test
	void retryMultiplierBelowOneShouldFailWithAnalysis() {
		this.contextRunner
			.withPropertyValues("blllib.stages.total.retry.max-retries=2", "blllib.stages.total.retry.multiplier=0.5")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("Setting: blllib.stages.total.retry.multiplier",
						"Value: \"0.5\"", "Allowed: a number of at least 1, such as 1.5 or 2");
			});
	}

	@Test
	void retryKeyWithoutMaxRetriesShouldFailWithAnalysis() {
		this.contextRunner.withPropertyValues("blllib.stages.total.retry.delay=1s").run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("Setting: blllib.stages.total.retry.delay",
					"Value: \"1000ms\"", "it has no effect without blllib.stages.total.retry.max-retries");
			assertThat(analysis.getAction()).isEqualTo("Set blllib.stages.total.retry.max-retries too, or remove "
					+ "blllib.stages.total.retry.delay.");
		});
	}

	@Test
	void retryDelayThatIsNotADurationShouldFailWithAnalysis() {
		this.contextRunner
			.withPropertyValues("blllib.stages.total.retry.max-retries=2", "blllib.stages.total.retry.delay=soon")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("Setting: blllib.stages.total.retry.delay",
						"Value: \"soon\"", "Allowed: a duration such as 500ms, 2s or 1m");
				assertThat(analysis.getAction())
					.isEqualTo("Change blllib.stages.total.retry.delay to a duration such as 500ms, 2s or 1m.");
			});
	}

	@Test
	void retryIncludesNamingAnUnknownClassShouldFailWithAnalysis() {
		this.contextRunner
			.withPropertyValues("blllib.stages.total.retry.max-retries=2",
					"blllib.stages.total.retry.includes=java.io.IOException,com.example.FlakyException")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("Setting: blllib.stages.total.retry.includes",
						"Value: \"com.example.FlakyException\"",
						"Reason: there is no class 'com.example.FlakyException' on the class path",
						"Allowed: a comma-separated list of fully qualified names of exception classes");
			});
	}

	@Test
	void retryExcludesNamingAClassThatIsNotAnExceptionShouldFailWithAnalysis() {
		this.contextRunner
			.withPropertyValues("blllib.stages.total.retry.max-retries=2",
					"blllib.stages.total.retry.excludes=java.lang.String")
			.run((context) -> assertThat(analyze(context.getStartupFailure()).getDescription()).contains(
					"Setting: blllib.stages.total.retry.excludes", "Value: \"java.lang.String\"",
					"Reason: 'java.lang.String' is not an exception: it does not extend java.lang.Throwable"));
	}

	@Test
	void onFailureThatIsNeitherFailNorSkipShouldFailWithAnalysis() {
		this.contextRunner.withPropertyValues("blllib.stages.total.on-failure=retry").run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("Setting: blllib.stages.total.on-failure",
					"Value: \"retry\"", "Allowed: fail, skip");
			assertThat(analysis.getAction()).isEqualTo("Change blllib.stages.total.on-failure to fail, skip.");
		});
	}

	@Test
	void skipLimitBelowZeroShouldFailWithAnalysis() {
		this.contextRunner.withPropertyValues("blllib.stages.total.skip-limit=-1")
			.run((context) -> assertThat(analyze(context.getStartupFailure()).getDescription()).contains(
					"Setting: blllib.stages.total.skip-limit", "Value: \"-1\"", "Allowed: an integer of zero or more"));
	}

	@Test
	void timeoutThatIsNotPositiveShouldFailWithAnalysis() {
		this.contextRunner.withPropertyValues("blllib.stages.total.timeout=0s").run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("Setting: blllib.stages.total.timeout", "Value: \"0ms\"",
					"Allowed: a positive duration, such as 500ms or 2s");
			assertThat(analysis.getAction())
				.isEqualTo("Change blllib.stages.total.timeout to a positive duration, such as 500ms or 2s.");
		});
	}

	@Test
	void rateLimitPermitsBelowOneShouldFailWithAnalysisNamingTheKeyAndTheAllowedValues() {
		this.contextRunner.withPropertyValues("blllib.stages.total.rate-limit.permits=0").run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("Setting: blllib.stages.total.rate-limit.permits",
					"Value: \"0\"", "Allowed: an integer of at least 1");
			assertThat(analysis.getAction())
				.isEqualTo("Change blllib.stages.total.rate-limit.permits to an integer of at least 1.");
		});
	}

	@Test
	void rateLimitPeriodThatIsNotPositiveShouldFailWithAnalysisNamingTheKeyAndTheAllowedValues() {
		this.contextRunner
			.withPropertyValues("blllib.stages.total.rate-limit.permits=5", "blllib.stages.total.rate-limit.period=0s")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("Setting: blllib.stages.total.rate-limit.period",
						"Value: \"0ms\"", "Allowed: a positive duration, at most 106751 days");
			});
	}

	@Test
	void rateLimitPeriodWithoutPermitsShouldFailWithAnalysis() {
		this.contextRunner.withPropertyValues("blllib.stages.total.rate-limit.period=1s").run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("Setting: blllib.stages.total.rate-limit.period",
					"it has no effect without blllib.stages.total.rate-limit.permits");
			assertThat(analysis.getAction()).isEqualTo("Set blllib.stages.total.rate-limit.permits too, or remove "
					+ "blllib.stages.total.rate-limit.period.");
		});
	}

	@Test
	void timeoutOnAStageRunInMasterShouldFailWithAnalysis() {
		this.contextRunner
			.withPropertyValues("blllib.stages.total.run-in-master=true", "blllib.stages.total.timeout=2s")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("Setting: blllib.stages.total.timeout",
						"Value: \"2000ms\"", "Reason: stage 'total' runs in master");
				assertThat(analysis.getAction()).isEqualTo("Remove blllib.stages.total.timeout or set "
						+ "blllib.stages.total.run-in-master=false.");
			});
	}

	@Test
	void applicationWithAnUnknownOnFailureShouldReportTheAllowedValuesWhenItFailsToStart(CapturedOutput output) {
		SpringApplication application = new SpringApplication(FailingApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run("--blllib.stages.diff.on-failure=ignore"));
		assertThat(output).contains("APPLICATION FAILED TO START", "Setting: blllib.stages.diff.on-failure",
				"Value: \"ignore\"", "Allowed: fail, skip", "Change blllib.stages.diff.on-failure to fail, skip.");
	}

	@Test
	void applicationWithBadConfigurationShouldReportTheAnalysisWhenItFailsToStart(CapturedOutput output) {
		SpringApplication application = new SpringApplication(FailingApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run("--blllib.stages.diff.stateful=maybe"));
		assertThat(output).contains("APPLICATION FAILED TO START", "Setting: blllib.stages.diff.stateful",
				"Value: \"maybe\"", "Change blllib.stages.diff.stateful to 'true', 'false' or a positive integer");
	}

	private static FailureAnalysis analyze(Throwable failure) {
		assertThat(failure).isNotNull();
		FailureAnalysis analysis = new BlllibConfigurationFailureAnalyzer().analyze(failure);
		assertThat(analysis).as("analysis of %s", failure).isNotNull();
		return analysis;
	}

	@Configuration(proxyBeanMethods = false)
	static class StagesConfiguration {

		@Bean
		@BlllibStage(stateful = "2")
		Stage<List<Integer>, Integer> diff() {
			return (window) -> window.get(1) - window.get(0);
		}

		@Bean
		Stage<Integer, Integer> total() {
			return (x) -> x;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ TaskExecutionAutoConfiguration.class, BlllibAutoConfiguration.class })
	@Import(StagesConfiguration.class)
	static class FailingApplication {

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnPoolAndFactoryConfiguration {

		@Bean(defaultCandidate = false)
		Executor blllibWorkerExecutor() {
			return Runnable::run;
		}

		@Bean
		PipelineFactory ownPipelineFactory() {
			return new UnsupportedPipelineFactory();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BadAnnotationConfiguration {

		@Bean
		Sometimes sometimes() {
			return new Sometimes();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class HiddenBadAnnotationConfiguration {

		@Bean
		Stage<Integer, Integer> hidden() {
			return new Sometimes();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PlaceholderConfiguration {

		@Bean
		@BlllibStage(stateful = "${missing.window}")
		Stage<List<Integer>, Integer> window() {
			return List::size;
		}

	}

	@BlllibStage(stateful = "sometimes", batchSize = 0)
	static class Sometimes implements Stage<Integer, Integer> {

		@Override
		public Integer apply(Integer input) {
			return input;
		}

	}

}
