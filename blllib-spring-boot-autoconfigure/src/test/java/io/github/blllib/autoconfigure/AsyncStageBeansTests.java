package io.github.blllib.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.blllib.AsyncStage;
import io.github.blllib.BlllibStage;
import io.github.blllib.Pipeline;
import io.github.blllib.PipelineFactory;
import io.github.blllib.Stage;
import io.github.blllib.StageKind;
import io.github.blllib.StageSettings;
import io.github.blllib.StageSpec;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static io.github.blllib.autoconfigure.Runs.drain;
import static io.github.blllib.autoconfigure.Runs.range;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AsyncStage} beans: stages like {@link Stage} beans, with the same annotation
 * and {@code blllib.stages.<bean>.*} properties, and a start-up failure for what an async stage
 * cannot do.
 */
class AsyncStageBeansTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class, BlllibAutoConfiguration.class))
		.withUserConfiguration(AsyncStagesConfiguration.class);

	@Test
	void asyncStageBeanShouldRunAsAnAsyncStageBetweenStageBeans() {
		this.contextRunner.run((context) -> {
			try (Pipeline<Integer, Integer> pipeline = factory(context).create("remote", "addOne", "lookup", "addOne2")) {
				StageSpec<?, ?> lookup = pipeline.stages().get(1);
				assertThat(lookup.isAsync()).isTrue();
				assertThat(lookup.settings().kind()).isEqualTo(StageKind.STATEFUL);
				assertThat(lookup.needsDedicatedThread()).isFalse();
				assertThat(lookup.settings().batchSize()).isEqualTo(8);
				assertThat(drain(pipeline.apply(range(50)))).isEqualTo(range(50).stream().map((x) -> x + 102).toList());
				assertThat(pipeline.statistics().get(1).succeeded()).isEqualTo(50);
			}
		});
	}

	@Test
	void asyncStageBeanWithoutAnnotationShouldTakeTheDefaultsAsAnAsyncStage() {
		this.contextRunner.run((context) -> {
			try (Pipeline<Integer, Integer> pipeline = factory(context).create("plain", "plainLookup")) {
				StageSpec<?, ?> plain = pipeline.stages().get(0);
				assertThat(plain.isAsync()).isTrue();
				assertThat(plain.settings().stateful()).isEqualTo("true");
				assertThat(plain.settings().batchSize()).isEqualTo(1);
				assertThat(drain(pipeline.apply(range(5)))).containsExactly(0, 1, 2, 3, 4);
			}
		});
	}

	@Test
	void propertiesShouldSetTheBatchSizeAndAWindowOfAnAsyncStageBean() {
		this.contextRunner
			.withPropertyValues("blllib.stages.window-sum.stateful=3", "blllib.stages.window-sum.batch-size=5")
			.run((context) -> {
				try (Pipeline<Integer, Integer> pipeline = factory(context).create("windows", "windowSum")) {
					StageSpec<?, ?> windowSum = pipeline.stages().get(0);
					assertThat(windowSum.isAsync()).isTrue();
					assertThat(windowSum.settings().kind()).isEqualTo(StageKind.WINDOW);
					assertThat(windowSum.settings().window()).isEqualTo(3);
					assertThat(windowSum.settings().batchSize()).isEqualTo(5);
					assertThat(drain(pipeline.apply(range(5)))).containsExactly(3, 6, 9);
				}
			});
	}

	@Test
	void statefulTrueShouldMeanTheSameAsFalseForAnAsyncStageBean() {
		this.contextRunner.withPropertyValues("blllib.stages.lookup.stateful=true").run((context) -> {
			assertThat(context).hasNotFailed();
			try (Pipeline<Integer, Integer> pipeline = factory(context).create("remote", "lookup")) {
				assertThat(pipeline.stages().get(0).settings().kind()).isEqualTo(StageKind.STATEFUL);
				assertThat(pipeline.stages().get(0).needsDedicatedThread()).isFalse();
			}
		});
	}

	@Test
	void configuredPipelineShouldRunAsyncStageBeans() {
		this.contextRunner.withPropertyValues("blllib.pipelines.enrich.stages=add-one,lookup").run((context) -> {
			try (Pipeline<Integer, Integer> pipeline = factory(context).create("enrich")) {
				assertThat(drain(pipeline.apply(range(3)))).containsExactly(101, 102, 103);
			}
		});
	}

	@Test
	void anAsyncStageBeanThatIsStatefulByDefaultShouldTakeNoThreadFromTheDefaultNCpu() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class, BlllibAutoConfiguration.class))
			.withUserConfiguration(OnlyAsyncConfiguration.class)
			.run((context) -> {
				assertThat(factory(context).stages().get("remote").stateful()).isEqualTo("true");
				assertThat(context.getBean(StageCatalog.class).nCpu())
					.isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors()));
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class OnlyAsyncConfiguration {

		@Bean
		AsyncStage<Integer, Integer> remote() {
			return CompletableFuture::completedFuture;
		}

	}

	@Test
	void stagesShouldListAsyncStageBeansWithTheirSettings() {
		this.contextRunner.run((context) -> {
			Map<String, StageSettings> stages = factory(context).stages();
			assertThat(stages).containsKeys("lookup", "plainLookup", "windowSum", "addOne");
			assertThat(stages.get("lookup")).isEqualTo(StageSettings.of("lookup", "true", 8, false));
		});
	}

	@Test
	void failurePolicyPropertiesShouldApplyToAnAsyncStageBean() {
		this.contextRunner.withUserConfiguration(FlakyAsyncConfiguration.class)
			.withPropertyValues("blllib.stages.flaky-lookup.retry.max-retries=1",
					"blllib.stages.flaky-lookup.on-failure=skip", "blllib.stages.flaky-lookup.timeout=5s")
			.run((context) -> {
				try (Pipeline<Integer, Integer> pipeline = factory(context).create("flaky", "flakyLookup")) {
					// 3 fails once and is retried; 4 always fails and is skipped
					assertThat(drain(pipeline.apply(range(6)))).containsExactly(0, 1, 2, 3, 5);
					assertThat(pipeline.statistics().get(0).retries()).isEqualTo(2);
					assertThat(pipeline.statistics().get(0).skipped()).isEqualTo(1);
					assertThat(pipeline.stages().get(0).settings().timeout()).hasSeconds(5);
				}
			});
	}

	@Test
	void runInMasterPropertyOnAnAsyncStageBeanShouldFailWithAnalysis() {
		this.contextRunner.withPropertyValues("blllib.stages.lookup.run-in-master=true").run((context) -> {
			assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("blllib.stages.lookup.run-in-master")
				.hasMessageContaining("stage bean 'lookup' cannot take it. Allowed values: false for an async stage");
		});
	}

	@Test
	void runInMasterAnnotationOnAnAsyncStageBeanShouldFailWithAnalysis() {
		this.contextRunner.withUserConfiguration(InMasterAsyncConfiguration.class).run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains(
					"Setting: @BlllibStage(runInMaster) on stage bean 'masterLookup'", "Value: \"true\"",
					"Allowed: false for an async stage");
		});
	}

	@Test
	void beanThatIsBothAStageAndAnAsyncStageShouldFailWithAnalysis() {
		this.contextRunner.withUserConfiguration(AmbiguousConfiguration.class).run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("stage bean 'both' is both a Stage and an AsyncStage");
			assertThat(analysis.getAction()).isEqualTo("Make bean 'both' implement only one of Stage and AsyncStage.");
		});
	}

	private static FailureAnalysis analyze(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = new BlllibConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).as("analysis of %s", context.getStartupFailure()).isNotNull();
		return analysis;
	}

	private static PipelineFactory factory(AssertableApplicationContext context) {
		return context.getBean(PipelineFactory.class);
	}

	@Configuration(proxyBeanMethods = false)
	static class AsyncStagesConfiguration {

		@Bean
		Stage<Integer, Integer> addOne() {
			return (x) -> x + 1;
		}

		@Bean
		@BlllibStage(stateful = "false")
		Stage<Integer, Integer> addOne2() {
			return (x) -> x + 1;
		}

		/** A remote look-up: adds 100 on another thread. */
		@Bean
		@BlllibStage(batchSize = 8)
		AsyncStage<Integer, Integer> lookup() {
			return (x) -> CompletableFuture.supplyAsync(() -> x + 100);
		}

		@Bean
		AsyncStage<Integer, Integer> plainLookup() {
			return CompletableFuture::completedFuture;
		}

		@Bean
		AsyncStage<List<Integer>, Integer> windowSum() {
			return (window) -> CompletableFuture
				.supplyAsync(() -> window.stream().mapToInt(Integer::intValue).sum());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class FlakyAsyncConfiguration {

		@Bean
		@BlllibStage(batchSize = 4)
		AsyncStage<Integer, Integer> flakyLookup() {
			Map<Integer, AtomicInteger> calls = new ConcurrentHashMap<>();
			return (x) -> {
				int call = calls.computeIfAbsent(x, (key) -> new AtomicInteger()).incrementAndGet();
				if (x == 4 || (x == 3 && call == 1)) {
					return CompletableFuture.failedFuture(new IllegalStateException("busy " + x));
				}
				return CompletableFuture.completedFuture(x);
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class InMasterAsyncConfiguration {

		@Bean
		@BlllibStage(runInMaster = true)
		AsyncStage<Integer, Integer> masterLookup() {
			return CompletableFuture::completedFuture;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class AmbiguousConfiguration {

		@Bean
		Both both() {
			return new Both();
		}

	}

	/** Both kinds of stage at once: one method serves as either. */
	static class Both implements Stage<Integer, CompletionStage<Integer>>, AsyncStage<Integer, Integer> {

		@Override
		public CompletionStage<Integer> apply(Integer input) {
			return CompletableFuture.completedFuture(input);
		}

	}

}
