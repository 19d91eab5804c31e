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
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
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
 * Tests that bad blllib configuration fails start-up naming the setting and its allowed values:
 * a bad property value through Boot's {@link InvalidConfigurationPropertyValueException} (whose
 * analysis adds the file and line), a bad annotation through our {@link FailureAnalysis}.
 */
@ExtendWith(OutputCaptureExtension.class)
class BlllibConfigurationFailureAnalyzerTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class, BlllibAutoConfiguration.class))
		.withUserConfiguration(StagesConfiguration.class);

	@Test
	void statefulPropertyThatIsNotTrueFalseOrPositiveShouldFailWithAnalysis() {
		this.contextRunner.withPropertyValues("blllib.stages.diff.stateful=0")
			.run((context) -> assertInvalidValue(context.getStartupFailure(), "blllib.stages.diff.stateful", "0", "stage bean 'diff'", "Allowed values: 'true', 'false' or a positive integer window size (1, 2, 3, ...)"));
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
		this.contextRunner.withPropertyValues("blllib.stages.diff.batch-size=0")
			.run((context) -> assertInvalidValue(context.getStartupFailure(), "blllib.stages.diff.batch-size", "0", "stage bean 'diff'", "Allowed values: an integer of at least 1"));
	}

	@Test
	void batchSizeAnnotationBelowOneShouldFailWithAnalysis() {
		this.contextRunner.withUserConfiguration(BadAnnotationConfiguration.class)
			.withPropertyValues("blllib.stages.sometimes.stateful=false")
			.run((context) -> assertThat(analyze(context.getStartupFailure()).getAction())
				.isEqualTo("Change @BlllibStage(batchSize) on stage bean 'sometimes' to an integer of at least 1."));
	}

	@Test
	void batchSizePropertyWithAKeyInAnotherFormShouldBeNamedInItsCanonicalForm() {
		this.contextRunner.withPropertyValues("blllib.stages.DIFF.batch-size=-1")
			.run((context) -> assertInvalidValue(context.getStartupFailure(), "blllib.stages.diff.batch-size", "-1", "stage bean 'diff'"));
	}

	@Test
	void badSettingShouldFailStartUpWhenNothingHasAskedForTheStageSettings() {
		this.contextRunner.withUserConfiguration(OwnPoolAndFactoryConfiguration.class)
			.withPropertyValues("blllib.stages.total.stateful=often")
			.run((context) -> assertInvalidValue(context.getStartupFailure(), "blllib.stages.total.stateful", "often",
					"stage bean 'total'"));
	}

	@Test
	void nCpuBelowOneShouldFailWithAnalysis() {
		this.contextRunner.withPropertyValues("blllib.n-cpu=0")
			.run((context) -> assertInvalidValue(context.getStartupFailure(), "blllib.n-cpu", "0",
					"Allowed values: an integer of at least 1, or no value for the default max(1, processors - stateful stages)"));
	}

	@Test
	void closeTimeoutBelowZeroShouldFailWithAnalysis() {
		this.contextRunner.withPropertyValues("blllib.shutdown.close-timeout=-1s")
			.run((context) -> assertInvalidValue(context.getStartupFailure(), "blllib.shutdown.close-timeout", "-1000ms",
					"Allowed values: a duration of zero or more, such as 10s or 500ms"));
	}

	@Test
	void awaitTerminationPeriodBelowZeroShouldFailWithAnalysis() {
		this.contextRunner.withPropertyValues("blllib.shutdown.await-termination-period=-2s")
			.run((context) -> assertInvalidValue(context.getStartupFailure(), "blllib.shutdown.await-termination-period",
					"-2000ms", "Allowed values: a duration of zero or more, such as 30s (0: close open runs at once)"));
	}

	@Test
	void stallTimeoutThatIsNotPositiveShouldFailWithAnalysis() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(BlllibHealthContributorAutoConfiguration.class))
			.withPropertyValues("blllib.health.stall-timeout=0s")
			.run((context) -> assertInvalidValue(context.getStartupFailure(), "blllib.health.stall-timeout", "0ms",
					"Allowed values: a positive duration, such as 1m or 30s"));
	}

	@Test
	void stallTimeoutLongerThanBlllibCountsShouldFailWithAnalysis() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(BlllibHealthContributorAutoConfiguration.class))
			.withPropertyValues("blllib.health.stall-timeout=200000d")
			.run((context) -> assertInvalidValue(context.getStartupFailure(), "blllib.health.stall-timeout",
					"17280000000000ms", "Allowed values: a positive duration, such as 1m or 30s, at most 106751 days"));
	}

	@Test
	void retryDelayLongerThanBlllibCountsShouldFailWithAnalysis() {
		this.contextRunner
			.withPropertyValues("blllib.stages.total.retry.max-retries=2", "blllib.stages.total.retry.delay=200000d")
			.run((context) -> assertInvalidValue(context.getStartupFailure(), "blllib.stages.total.retry.delay",
					"200000d", "Allowed values: a duration of zero or more, such as 100ms or 1s, and at most 106751 days"));
	}

	@Test
	void retryMaxDelayLongerThanBlllibCountsShouldFailWithAnalysis() {
		this.contextRunner
			.withPropertyValues("blllib.stages.total.retry.max-retries=2", "blllib.stages.total.retry.max-delay=200000d")
			.run((context) -> assertInvalidValue(context.getStartupFailure(), "blllib.stages.total.retry.max-delay",
					"200000d", "at most 106751 days"));
	}

	@Test
	void timeoutLongerThanBlllibCountsShouldFailWithAnalysis() {
		this.contextRunner.withPropertyValues("blllib.stages.total.timeout=200000d")
			.run((context) -> assertInvalidValue(context.getStartupFailure(), "blllib.stages.total.timeout", "200000d",
					"Allowed values: a positive duration, such as 500ms or 2s, at most 106751 days"));
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
		this.contextRunner.withPropertyValues("blllib.stages.total.retry.max-retries=-1")
			.run((context) -> assertInvalidValue(context.getStartupFailure(), "blllib.stages.total.retry.max-retries", "-1", "Allowed values: an integer of zero or more"));
	}

	@Test
	void retryDelayBelowZeroShouldFailWithAnalysis() {
		this.contextRunner.withPropertyValues("blllib.stages.total.retry.max-retries=2", "blllib.stages.total.retry.delay=-5ms")
			.run((context) -> assertInvalidValue(context.getStartupFailure(), "blllib.stages.total.retry.delay", "-5ms", "Allowed values: a duration of zero or more, such as 100ms or 1s"));
	}

	@Test
	void retryMaxDelayBelowZeroShouldFailWithAnalysis() {
		this.contextRunner.withPropertyValues("blllib.stages.total.retry.max-retries=2", "blllib.stages.total.retry.max-delay=-1s")
			.run((context) -> assertInvalidValue(context.getStartupFailure(), "blllib.stages.total.retry.max-delay", "-1s",
					"stage bean 'total'"));
	}

	@Test
	void retryMultiplierBelowOneShouldFailWithAnalysis() {
		this.contextRunner.withPropertyValues("blllib.stages.total.retry.max-retries=2", "blllib.stages.total.retry.multiplier=0.5")
			.run((context) -> assertInvalidValue(context.getStartupFailure(), "blllib.stages.total.retry.multiplier", "0.5", "Allowed values: a finite number of at least 1, such as 1.5 or 2"));
	}

	@Test
	void retryKeyWithoutMaxRetriesShouldFailWithAnalysis() {
		this.contextRunner.withPropertyValues("blllib.stages.total.retry.delay=1s")
			.run((context) -> assertThat(findCause(context.getStartupFailure()).getReason()).isEqualTo(
					"it has no effect without blllib.stages.total.retry.max-retries: set that too, or remove this one"));
	}

	@Test
	void retryDelayThatIsNotADurationShouldFailThroughBootsBinder() {
		this.contextRunner.withPropertyValues("blllib.stages.total.retry.max-retries=2", "blllib.stages.total.retry.delay=soon")
			.run((context) -> assertThat(context.getStartupFailure()).hasStackTraceContaining(
					"Failed to bind properties under 'blllib.stages.total.retry.delay'"));
	}

	@Test
	void retryIncludesNamingAnUnknownClassShouldFailThroughBootsBinder() {
		this.contextRunner.withPropertyValues("blllib.stages.total.retry.max-retries=2", "blllib.stages.total.retry.includes=java.io.IOException,com.example.FlakyException")
			.run((context) -> assertThat(context.getStartupFailure()).hasStackTraceContaining(
					"Failed to bind properties under 'blllib.stages.total.retry.includes'"));
	}

	@Test
	void retryExcludesNamingAClassThatIsNotAnExceptionShouldFailWithAnalysis() {
		this.contextRunner.withPropertyValues("blllib.stages.total.retry.max-retries=2", "blllib.stages.total.retry.excludes=java.lang.String")
			.run((context) -> assertInvalidValue(context.getStartupFailure(), "blllib.stages.total.retry.excludes", "java.lang.String", "Allowed values: exception classes (subclasses of java.lang.Throwable)"));
	}

	@Test
	void onFailureThatIsNeitherFailNorSkipShouldFailThroughBootsBinder() {
		this.contextRunner.withPropertyValues("blllib.stages.total.on-failure=retry")
			.run((context) -> assertThat(context.getStartupFailure()).hasStackTraceContaining(
					"Failed to bind properties under 'blllib.stages.total.on-failure'"));
	}

	@Test
	void skipLimitBelowZeroShouldFailWithAnalysis() {
		this.contextRunner.withPropertyValues("blllib.stages.total.skip-limit=-1")
			.run((context) -> assertInvalidValue(context.getStartupFailure(), "blllib.stages.total.skip-limit", "-1", "Allowed values: an integer of zero or more"));
	}

	@Test
	void timeoutThatIsNotPositiveShouldFailWithAnalysis() {
		this.contextRunner.withPropertyValues("blllib.stages.total.timeout=0s")
			.run((context) -> assertInvalidValue(context.getStartupFailure(), "blllib.stages.total.timeout", "0s", "Allowed values: a positive duration, such as 500ms or 2s"));
	}

	@Test
	void rateLimitPermitsBelowOneShouldFailWithAnalysisNamingTheKeyAndTheAllowedValues() {
		this.contextRunner.withPropertyValues("blllib.stages.total.rate-limit.permits=0")
			.run((context) -> assertInvalidValue(context.getStartupFailure(), "blllib.stages.total.rate-limit.permits",
					"0", "stage bean 'total'", "Allowed values: an integer of at least 1"));
	}

	@Test
	void rateLimitPeriodThatIsNotPositiveShouldFailWithAnalysisNamingTheKeyAndTheAllowedValues() {
		this.contextRunner
			.withPropertyValues("blllib.stages.total.rate-limit.permits=5", "blllib.stages.total.rate-limit.period=0s")
			.run((context) -> assertInvalidValue(context.getStartupFailure(), "blllib.stages.total.rate-limit.period",
					"0s", "Allowed values: a positive duration, at most 106751 days"));
	}

	@Test
	void rateLimitPeriodWithoutPermitsShouldFailWithAnalysis() {
		this.contextRunner.withPropertyValues("blllib.stages.total.rate-limit.period=1s")
			.run((context) -> assertThat(findCause(context.getStartupFailure()).getReason())
				.isEqualTo("it has no effect without blllib.stages.total.rate-limit.permits: set that too, or remove this one"));
	}

	@Test
	void timeoutOnAStageRunInMasterShouldFailWithAnalysis() {
		this.contextRunner.withPropertyValues("blllib.stages.total.run-in-master=true", "blllib.stages.total.timeout=2s")
			.run((context) -> assertInvalidValue(context.getStartupFailure(), "blllib.stages.total.timeout", "2s", "stage bean 'total'", "runs in master"));
	}

	@Test
	void applicationWithAnUnknownOnFailureShouldReportTheAllowedValuesWhenItFailsToStart(CapturedOutput output) {
		SpringApplication application = new SpringApplication(FailingApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run("--blllib.stages.diff.on-failure=ignore"));
		assertThat(output).contains("APPLICATION FAILED TO START", "blllib.stages.diff.on-failure", "ignore",
				"FAIL", "SKIP");
	}

	@Test
	void applicationWithBadConfigurationShouldReportTheAnalysisWhenItFailsToStart(CapturedOutput output) {
		SpringApplication application = new SpringApplication(FailingApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run("--blllib.stages.diff.stateful=maybe"));
		assertThat(output).contains("APPLICATION FAILED TO START",
				"Invalid value 'maybe' for configuration property 'blllib.stages.diff.stateful'",
				"stage bean 'diff' cannot take it. Allowed values: 'true', 'false' or a positive integer");
	}

	@Test
	void badRetryMultiplierInApplicationYmlShouldReportKeyValueFileLineAndAllowedValues(CapturedOutput output) {
		SpringApplication application = new SpringApplication(FailingApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(
				() -> application.run("--spring.config.location=classpath:bad-retry-multiplier/application.yml"));
		assertThat(output).contains("APPLICATION FAILED TO START",
				"Invalid value '0.5' for configuration property 'blllib.stages.total.retry.multiplier' "
						+ "(originating from 'class path resource [bad-retry-multiplier/application.yml] - 7:21')",
				"stage bean 'total' cannot take it. Allowed values: a finite number of at least 1, such as 1.5 or 2");
	}

	private static void assertInvalidValue(Throwable failure, String property, String value, String... reason) {
		InvalidConfigurationPropertyValueException cause = findCause(failure);
		assertThat(cause.getName()).isEqualTo(property);
		assertThat(cause.getValue()).hasToString(value);
		assertThat(cause.getReason()).contains(reason);
	}

	private static InvalidConfigurationPropertyValueException findCause(Throwable failure) {
		assertThat(failure).isNotNull();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof InvalidConfigurationPropertyValueException invalid) {
				return invalid;
			}
		}
		throw new AssertionError("No InvalidConfigurationPropertyValueException in " + failure);
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
