package io.github.blllib.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.github.blllib.BlllibStage;
import io.github.blllib.DeadLetterHandler;
import io.github.blllib.FailedItem;
import io.github.blllib.Pipeline;
import io.github.blllib.PipelineFactory;
import io.github.blllib.PipelineListener;
import io.github.blllib.PipelineRun;
import io.github.blllib.Retry;
import io.github.blllib.Stage;
import io.github.blllib.StageSettings;
import io.github.blllib.StageSpec;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the {@link PipelineFactory} bean, {@link StageBeanPipelineFactory}, and the
 * {@link OpenPipelines} it keeps.
 */
class StageBeanPipelineFactoryTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class, BlllibAutoConfiguration.class))
		.withUserConfiguration(StagesConfiguration.class);

	@Test
	void createShouldRunStageBeansInTheOrderNamed() {
		this.contextRunner.run((context) -> {
			try (Pipeline<Integer, Integer> pipeline = context.getBean(PipelineFactory.class)
				.create("numbers", "addOne", "twice")) {
				assertThat(pipeline.apply(List.of(1, 2, 3)).stream().toList()).containsExactly(4, 6, 8);
			}
		});
	}

	@Test
	void createShouldGiveEachStageItsResolvedSettings() {
		this.contextRunner.withPropertyValues("blllib.stages.twice.batch-size=6").run((context) -> {
			try (Pipeline<Integer, List<Integer>> pipeline = context.getBean(PipelineFactory.class)
				.create("numbers", "addOne", "twice", "pairs")) {
				assertThat(pipeline.stages()).extracting((spec) -> spec.name() + ":" + spec.settings().stateful() + ":"
						+ spec.settings().batchSize() + ":" + spec.settings().runInMaster())
					.containsExactly("addOne:true:1:false", "twice:false:6:false", "pairs:2:1:false");
				assertThat(pipeline.apply(List.of(0, 1, 2)).stream().toList()).containsExactly(List.of(2, 4),
						List.of(4, 6));
			}
		});
	}

	@Test
	void createFromConfigurationShouldRunTheConfiguredStages() {
		this.contextRunner.withPropertyValues("blllib.pipelines.doubled.stages=twice,addOne").run((context) -> {
			try (Pipeline<Integer, Integer> pipeline = context.getBean(PipelineFactory.class).create("doubled")) {
				assertThat(pipeline.name()).isEqualTo("doubled");
				assertThat(pipeline.apply(List.of(1, 2, 3)).stream().toList()).containsExactly(3, 5, 7);
			}
		});
	}

	@Test
	void createShouldFindStageBeansByNamesThatDifferInCaseDashesAndUnderscores() {
		this.contextRunner.run((context) -> {
			try (Pipeline<Integer, Integer> pipeline = context.getBean(PipelineFactory.class)
				.create("numbers", "add-one", "TWICE")) {
				assertThat(pipeline.stages()).extracting(StageSpec::name).containsExactly("addOne", "twice");
				assertThat(pipeline.apply(List.of(1, 2)).stream().toList()).containsExactly(4, 6);
			}
		});
	}

	@Test
	void createFromConfigurationShouldFindThePipelineByANameThatDiffersInCaseDashesAndUnderscores() {
		this.contextRunner.withPropertyValues("blllib.pipelines.doubled-up.stages=twice").run((context) -> {
			try (Pipeline<Integer, Integer> pipeline = context.getBean(PipelineFactory.class).create("doubledUp")) {
				assertThat(pipeline.name()).isEqualTo("doubledUp");
				assertThat(pipeline.apply(List.of(1, 2)).stream().toList()).containsExactly(2, 4);
			}
		});
	}

	@Test
	void stagesShouldListEveryStageBeanWithItsSettingsWithoutCreatingPrototypes() {
		this.contextRunner.withPropertyValues("blllib.stages.twice.batch-size=6").run((context) -> {
			assertThat(context.getBean(PipelineFactory.class).stages()).containsExactly(
					entry("addOne", StageSettings.of("addOne", "true", 1, false)),
					entry("counter", StageSettings.of("counter", "true", 1, false)),
					entry("freshCounter", StageSettings.of("freshCounter", "true", 1, false)),
					entry("pairs", StageSettings.of("pairs", "2", 1, false)),
					entry("twice", StageSettings.of("twice", "false", 6, false)));
			assertThat(context.getBean(StagesConfiguration.class).freshCountersCreated).hasValue(0);
		});
	}

	@Test
	void createWithUnknownStageShouldListTheKnownStages() {
		this.contextRunner.run((context) -> assertThatIllegalArgumentException()
			.isThrownBy(() -> context.getBean(PipelineFactory.class).create("numbers", "addOne", "triple"))
			.withMessage("Pipeline 'numbers': no Stage bean named 'triple'; known stage beans: "
					+ "addOne, counter, freshCounter, pairs, twice"));
	}

	@Test
	void createWithUnknownPipelineShouldListTheConfiguredPipelines() {
		this.contextRunner
			.withPropertyValues("blllib.pipelines.doubled.stages=twice", "blllib.pipelines.added.stages=addOne")
			.run((context) -> assertThatIllegalArgumentException()
				.isThrownBy(() -> context.getBean(PipelineFactory.class).create("tripled"))
				.withMessage("No pipeline named 'tripled' is configured with blllib.pipelines.tripled.stages; "
						+ "known pipelines: added, doubled"));
	}

	@Test
	void prototypeStageShouldGiveEachPipelineAFreshInstance() {
		this.contextRunner.run((context) -> {
			PipelineFactory factory = context.getBean(PipelineFactory.class);
			try (Pipeline<Integer, Integer> first = factory.create("first", "freshCounter");
					Pipeline<Integer, Integer> second = factory.create("second", "freshCounter")) {
				assertThat(first.stages().get(0).function().instance())
					.isNotSameAs(second.stages().get(0).function().instance());
				assertThat(first.apply(List.of(7, 7)).stream().toList()).containsExactly(1, 2);
				assertThat(second.apply(List.of(7)).stream().toList()).containsExactly(1);
			}
		});
	}

	@Test
	void singletonStageShouldBeSharedByPipelinesAndKeepItsState() {
		this.contextRunner.run((context) -> {
			PipelineFactory factory = context.getBean(PipelineFactory.class);
			try (Pipeline<Integer, Integer> first = factory.create("first", "counter");
					Pipeline<Integer, Integer> second = factory.create("second", "counter")) {
				assertThat(first.stages().get(0).function().instance())
					.isSameAs(second.stages().get(0).function().instance());
				assertThat(first.apply(List.of(7, 7)).stream().toList()).containsExactly(1, 2);
				assertThat(second.apply(List.of(7)).stream().toList()).containsExactly(3);
			}
		});
	}

	@Test
	void statefulSingletonStageInTwoOpenRunsShouldFailWithAdvice() {
		this.contextRunner.run((context) -> {
			PipelineFactory factory = context.getBean(PipelineFactory.class);
			try (Pipeline<Integer, Integer> first = factory.create("first", "counter");
					Pipeline<Integer, Integer> second = factory.create("second", "addOne", "counter");
					PipelineRun<Integer> firstRun = first.apply(endless())) {
				assertThat(firstRun.next()).isEqualTo(1);
				PipelineRun<Integer> secondRun = second.apply(List.of(1));
				assertThatIllegalStateException().isThrownBy(secondRun::hasNext)
					.withMessage("Stateful stage 'counter' is already running in an open run of pipeline "
							+ "'first', so pipeline 'second' cannot run it at the same time. Give each pipeline its own "
							+ "instance (in Spring, make the bean prototype-scoped with @Scope(\"prototype\")), or close "
							+ "the run of pipeline 'first' first.");
				assertThat(second.hasOpenRun()).isFalse();
				assertThat(firstRun.next()).isEqualTo(2);
			}
		});
	}

	@Test
	void statefulSingletonStageShouldRunInAnotherPipelineOnceTheOpenRunIsClosed() {
		this.contextRunner.run((context) -> {
			PipelineFactory factory = context.getBean(PipelineFactory.class);
			try (Pipeline<Integer, Integer> first = factory.create("first", "counter");
					Pipeline<Integer, Integer> second = factory.create("second", "counter")) {
				PipelineRun<Integer> firstRun = first.apply(endless());
				assertThat(firstRun.next()).isEqualTo(1);
				assertThatIllegalStateException().isThrownBy(() -> second.apply(List.of(0)).hasNext());
				firstRun.close();
				assertThat(second.apply(List.of(0)).stream().toList()).containsExactly(2);
			}
		});
	}

	@Test
	void prototypeStatefulStageShouldRunInTwoOpenRunsAtOnce() {
		this.contextRunner.run((context) -> {
			PipelineFactory factory = context.getBean(PipelineFactory.class);
			try (Pipeline<Integer, Integer> first = factory.create("first", "freshCounter");
					Pipeline<Integer, Integer> second = factory.create("second", "freshCounter");
					PipelineRun<Integer> firstRun = first.apply(endless());
					PipelineRun<Integer> secondRun = second.apply(endless())) {
				assertThat(firstRun.next()).isEqualTo(1);
				assertThat(secondRun.next()).isEqualTo(1);
				assertThat(firstRun.next()).isEqualTo(2);
			}
		});
	}

	@Test
	void statefulStageShouldRunOnADedicatedThreadNamedAfterPipelineAndStage() {
		this.contextRunner.withUserConfiguration(ThreadNameConfiguration.class).run((context) -> {
			try (Pipeline<Integer, String> pipeline = context.getBean(PipelineFactory.class)
				.create("names", "statefulThread")) {
				assertThat(pipeline.apply(List.of(1, 2)).stream().toList()).containsExactly("blllib-names-statefulThread-1",
						"blllib-names-statefulThread-1");
			}
		});
	}

	@Test
	void statelessStageShouldRunOnTheSharedWorkerPool() {
		this.contextRunner.withUserConfiguration(ThreadNameConfiguration.class).run((context) -> {
			try (Pipeline<Integer, String> pipeline = context.getBean(PipelineFactory.class)
				.create("names", "statelessThread")) {
				assertThat(pipeline.apply(List.of(1, 2, 3)).stream().toList()).allMatch((name) -> name.startsWith("blllib-worker-"));
			}
		});
	}

	@Test
	void pipelineListenerBeansShouldBeToldInOrderOfEveryPipeline() {
		this.contextRunner.withUserConfiguration(ListenersConfiguration.class).run((context) -> {
			List<String> events = context.getBean(ListenersConfiguration.class).events;
			try (Pipeline<Integer, Integer> pipeline = context.getBean(PipelineFactory.class).create("p", "addOne")) {
				pipeline.apply(List.of(1)).stream().toList();
			}
			assertThat(events).containsExactly("first created p", "second created p", "first started p",
					"second started p", "first ended p", "second ended p", "first closed p", "second closed p");
		});
	}

	@Test
	void openPipelinesShouldListPipelinesUntilTheyAreClosed() {
		this.contextRunner.run((context) -> {
			PipelineFactory factory = context.getBean(PipelineFactory.class);
			OpenPipelines openPipelines = context.getBean(OpenPipelines.class);
			Pipeline<Integer, Integer> first = factory.create("numbers", "addOne");
			Pipeline<Integer, Integer> second = factory.create("numbers", "twice");
			Pipeline<Integer, Integer> third = factory.create("other", "twice");
			assertThat(openPipelines.list()).containsExactly(first, second, third);
			second.close();
			assertThat(openPipelines.list()).containsExactly(first, third);
			first.close();
			third.close();
			assertThat(openPipelines.list()).isEmpty();
		});
	}

	@Test
	void closingTheContextShouldCloseOpenPipelinesAndReleaseEveryBlllibThread() {
		// threads of contexts other tests keep open (a cached @SpringBootTest) are not ours
		Set<Thread> others = blllibThreads();
		this.contextRunner.withUserConfiguration(ThreadNameConfiguration.class).run((context) -> {
			Pipeline<Integer, String> pipeline = context.getBean(PipelineFactory.class)
				.create("endless", "addOne", "statelessThread");
			PipelineRun<String> run = pipeline.apply(endless());
			assertThat(run.next()).startsWith("blllib-worker-");
			assertThat(blllibThreads()).extracting(Thread::getName)
				.contains("blllib-endless-addOne-1")
				.anyMatch((name) -> name.startsWith("blllib-worker-"));
			OpenPipelines openPipelines = context.getBean(OpenPipelines.class);
			context.close();
			assertThat(pipeline.isClosed()).isTrue();
			assertThat(run.hasNext()).isFalse();
			assertThat(openPipelines.list()).isEmpty();
			await().untilAsserted(() -> assertThat(blllibThreads()).isSubsetOf(others));
		});
	}

	@Test
	void createAfterTheContextIsClosedShouldFail() {
		this.contextRunner.run((context) -> {
			PipelineFactory factory = context.getBean(PipelineFactory.class);
			context.close();
			assertThatIllegalStateException().isThrownBy(() -> factory.create("late", "addOne"))
				.withMessage("Cannot create pipeline 'late': the application context is stopped or closed");
		});
	}

	@Test
	void createShouldGiveEachStageTheFailurePolicyOfItsProperties() {
		this.contextRunner
			.withPropertyValues("blllib.stages.twice.retry.max-retries=3", "blllib.stages.twice.retry.delay=10ms",
					"blllib.stages.twice.retry.multiplier=2", "blllib.stages.twice.retry.max-delay=50ms",
					"blllib.stages.twice.on-failure=skip", "blllib.stages.twice.skip-limit=4",
					"blllib.stages.twice.timeout=2s")
			.run((context) -> {
				try (Pipeline<Integer, Integer> pipeline = context.getBean(PipelineFactory.class)
					.create("numbers", "addOne", "twice")) {
					StageSpec<?, ?> twice = pipeline.stages().get(1);
					assertThat(twice.settings().retry()).isNotNull()
						.satisfies((retry) -> assertThat(retry.maxRetries()).isEqualTo(3))
						.satisfies((retry) -> assertThat(retry.delayBefore(3)).isEqualTo(Duration.ofMillis(40)))
						.satisfies((retry) -> assertThat(retry.delayBefore(4)).isEqualTo(Duration.ofMillis(50)));
					assertThat(twice.settings().skipFailures()).isTrue();
					assertThat(twice.settings().skipLimit()).isEqualTo(4);
					assertThat(twice.settings().timeout()).isEqualTo(Duration.ofSeconds(2));
					StageSpec<?, ?> addOne = pipeline.stages().get(0);
					assertThat(addOne.settings().retry()).isNull();
					assertThat(addOne.settings().skipFailures()).isFalse();
					assertThat(addOne.settings().timeout()).isNull();
				}
			});
	}

	@Test
	void stageBeanWithARateLimitShouldGiveEveryPipelineThatUsesItOneSharedBudget() {
		this.contextRunner
			.withPropertyValues("blllib.stages.twice.rate-limit.permits=50", "blllib.stages.twice.rate-limit.period=2s")
			.run((context) -> {
				PipelineFactory factory = context.getBean(PipelineFactory.class);
				try (Pipeline<Integer, Integer> first = factory.create("first", "addOne", "twice");
						Pipeline<Integer, Integer> second = factory.create("second", "twice")) {
					StageSpec<?, ?> twice = first.stages().get(1);
					assertThat(twice.settings().rateLimit()).isNotNull()
						.satisfies((limit) -> assertThat(limit.permits()).isEqualTo(50))
						.satisfies((limit) -> assertThat(limit.period()).isEqualTo(Duration.ofSeconds(2)));
					assertThat(second.stages().get(0).settings().rateLimit()).isSameAs(twice.settings().rateLimit());
					assertThat(first.stages().get(0).settings().rateLimit()).isNull();
				}
			});
	}

	@Test
	void rateLimitPeriodShouldDefaultToOneSecond() {
		this.contextRunner.withPropertyValues("blllib.stages.twice.rate-limit.permits=5").run((context) -> {
			try (Pipeline<Integer, Integer> pipeline = context.getBean(PipelineFactory.class).create("n", "twice")) {
				assertThat(pipeline.stages().get(0).settings().rateLimit().period()).isEqualTo(Duration.ofSeconds(1));
			}
		});
	}

	@Test
	void createShouldRetryOnlyTheExceptionsTheRetryIncludes() {
		this.contextRunner.withUserConfiguration(FlakyConfiguration.class)
			.withPropertyValues("blllib.stages.flaky.retry.max-retries=1",
					"blllib.stages.flaky.retry.includes=java.lang.IllegalStateException",
					"blllib.stages.flaky.retry.excludes=java.lang.UnsupportedOperationException")
			.run((context) -> {
				try (Pipeline<Integer, Integer> pipeline = context.getBean(PipelineFactory.class)
					.create("numbers", "flaky")) {
					Retry retry = pipeline.stages().get(0).settings().retry();
					assertThat(retry.retries(new IllegalStateException(), 1)).isTrue();
					assertThat(retry.retries(new IllegalArgumentException(), 1)).isFalse();
					assertThat(retry.retries(new UnsupportedOperationException(), 1)).isFalse();
				}
			});
	}

	@Test
	void stageRetriedByPropertiesShouldGiveTheOutputOfARunWithoutFailures() {
		this.contextRunner.withUserConfiguration(FlakyConfiguration.class)
			.withPropertyValues("blllib.stages.flaky.retry.max-retries=1")
			.run((context) -> {
				try (Pipeline<Integer, Integer> pipeline = context.getBean(PipelineFactory.class)
					.create("numbers", "flaky")) {
					assertThat(pipeline.apply(List.of(1, 2, 3, 4)).stream().toList()).containsExactly(1, 2, 3, 4);
					assertThat(pipeline.statistics().get(0).retries()).isEqualTo(2);
				}
			});
	}

	@Test
	void stageSkippingByPropertiesShouldLeaveOutTheItemsThatFail() {
		this.contextRunner.withUserConfiguration(FlakyConfiguration.class)
			.withPropertyValues("blllib.stages.flaky.on-failure=skip")
			.run((context) -> {
				try (Pipeline<Integer, Integer> pipeline = context.getBean(PipelineFactory.class)
					.create("numbers", "flaky")) {
					assertThat(pipeline.apply(List.of(1, 2, 3, 4)).stream().toList()).containsExactly(1, 3);
					assertThat(pipeline.statistics().get(0).skipped()).isEqualTo(2);
				}
			});
	}

	@Test
	void deadLetterHandlerBeanShouldReceiveTheItemsAStageSkips() {
		this.contextRunner.withUserConfiguration(FlakyConfiguration.class, DeadLettersConfiguration.class)
			.withPropertyValues("blllib.stages.flaky.on-failure=skip")
			.run((context) -> {
				try (Pipeline<Integer, Integer> pipeline = context.getBean(PipelineFactory.class)
					.create("numbers", "flaky")) {
					pipeline.apply(List.of(1, 2, 3)).stream().toList();
				}
				assertThat(context.getBean(DeadLettersConfiguration.class).items)
					.extracting((item) -> item.pipeline() + " " + item.stage() + " " + item.index() + " "
							+ item.input() + " " + item.attempts())
					.containsExactly("numbers flaky 1 2 1");
			});
	}

	@Test
	void deadLetterHandlerBeansShouldEachReceiveTheSkippedItemsInOrder() {
		this.contextRunner.withUserConfiguration(FlakyConfiguration.class, TwoDeadLetterHandlersConfiguration.class)
			.withPropertyValues("blllib.stages.flaky.on-failure=skip")
			.run((context) -> {
				try (Pipeline<Integer, Integer> pipeline = context.getBean(PipelineFactory.class)
					.create("numbers", "flaky")) {
					pipeline.apply(List.of(1, 2, 3, 4)).stream().toList();
				}
				assertThat(context.getBean(TwoDeadLetterHandlersConfiguration.class).events)
					.containsExactly("first 2", "second 2", "first 4", "second 4");
			});
	}

	/** Live threads whose name starts with {@code blllib-}. */
	private static Set<Thread> blllibThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.isAlive() && thread.getName().startsWith("blllib-"))
			.collect(Collectors.toSet());
	}

	private static Iterable<Integer> endless() {
		return () -> IntStream.iterate(0, (i) -> i + 1).iterator();
	}

	@Configuration(proxyBeanMethods = false)
	static class StagesConfiguration {

		final AtomicInteger freshCountersCreated = new AtomicInteger();

		@Bean
		Stage<Integer, Integer> addOne() {
			return (x) -> x + 1;
		}

		@Bean
		@BlllibStage(stateful = "false")
		Stage<Integer, Integer> twice() {
			return (x) -> 2 * x;
		}

		@Bean
		@BlllibStage(stateful = "2")
		Stage<List<Integer>, List<Integer>> pairs() {
			return List::copyOf;
		}

		@Bean
		Counter counter() {
			return new Counter();
		}

		@Bean
		@Scope("prototype")
		Counter freshCounter() {
			this.freshCountersCreated.incrementAndGet();
			return new Counter();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ThreadNameConfiguration {

		@Bean
		Stage<Integer, String> statefulThread() {
			return (x) -> Thread.currentThread().getName();
		}

		@Bean
		@BlllibStage(stateful = "false", batchSize = 4)
		Stage<Integer, String> statelessThread() {
			return (x) -> Thread.currentThread().getName();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ListenersConfiguration {

		final List<String> events = Collections.synchronizedList(new ArrayList<>());

		@Bean
		@Order(2)
		PipelineListener secondListener() {
			return new RecordingListener("second", this.events);
		}

		@Bean
		@Order(1)
		PipelineListener firstListener() {
			return new RecordingListener("first", this.events);
		}

	}

	record RecordingListener(String id, List<String> events) implements PipelineListener {

		@Override
		public void pipelineCreated(Pipeline<?, ?> pipeline) {
			this.events.add(this.id + " created " + pipeline.name());
		}

		@Override
		public void runStarted(Pipeline<?, ?> pipeline) {
			this.events.add(this.id + " started " + pipeline.name());
		}

		@Override
		public void runEnded(Pipeline<?, ?> pipeline) {
			this.events.add(this.id + " ended " + pipeline.name());
		}

		@Override
		public void pipelineClosed(Pipeline<?, ?> pipeline) {
			this.events.add(this.id + " closed " + pipeline.name());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class FlakyConfiguration {

		/** Stateless; fails on the first call for each even input, and fails again unless retried. */
		@Bean
		@BlllibStage(stateful = "false", batchSize = 2)
		Stage<Integer, Integer> flaky() {
			Set<Integer> failedOnce = ConcurrentHashMap.newKeySet();
			return (x) -> {
				if (x % 2 == 0 && failedOnce.add(x)) {
					throw new IllegalStateException("flaky on " + x);
				}
				return x;
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DeadLettersConfiguration {

		final List<FailedItem> items = Collections.synchronizedList(new ArrayList<>());

		@Bean
		DeadLetterHandler deadLetters() {
			return this.items::add;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TwoDeadLetterHandlersConfiguration {

		final List<String> events = Collections.synchronizedList(new ArrayList<>());

		@Bean
		@Order(2)
		DeadLetterHandler secondDeadLetters() {
			return (item) -> this.events.add("second " + item.input());
		}

		@Bean
		@Order(1)
		DeadLetterHandler firstDeadLetters() {
			return (item) -> this.events.add("first " + item.input());
		}

	}

	/** Stateful: counts the items it has seen. */
	static class Counter implements Stage<Integer, Integer> {

		private int count;

		@Override
		public Integer apply(Integer input) {
			return ++this.count;
		}

	}


}
