package io.github.blllib.autoconfigure.endpoint;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.jayway.jsonpath.JsonPath;
import io.github.blllib.AsyncStage;
import io.github.blllib.BlllibStage;
import io.github.blllib.Pipeline;
import io.github.blllib.PipelineFactory;
import io.github.blllib.PipelineRun;
import io.github.blllib.RateLimit;
import io.github.blllib.Retry;
import io.github.blllib.Stage;
import io.github.blllib.StageKind;
import io.github.blllib.StageSpec;
import io.github.blllib.autoconfigure.BlllibAutoConfiguration;
import io.github.blllib.autoconfigure.BlllibEndpointAutoConfiguration;
import io.github.blllib.ConsumerThread;
import io.github.blllib.autoconfigure.Gate;
import io.github.blllib.autoconfigure.UnsupportedPipelineFactory;
import io.github.blllib.autoconfigure.endpoint.BlllibEndpoint.PipelineDescriptor;
import io.github.blllib.autoconfigure.endpoint.BlllibEndpoint.PipelineStageDescriptor;
import io.github.blllib.autoconfigure.endpoint.BlllibEndpoint.RateLimitDescriptor;
import io.github.blllib.autoconfigure.endpoint.BlllibEndpoint.StageBeanDescriptor;
import io.github.blllib.autoconfigure.endpoint.BlllibEndpoint.WorkerPoolDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;

import static io.github.blllib.autoconfigure.Runs.drain;
import static io.github.blllib.autoconfigure.Runs.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link BlllibEndpointAutoConfiguration} and the {@link BlllibEndpoint} it
 * configures.
 */
class BlllibEndpointAutoConfigurationTests {

	private static final int HELD_BATCH_SIZE = 5;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class, BlllibAutoConfiguration.class,
				BlllibEndpointAutoConfiguration.class))
		.withUserConfiguration(StagesConfiguration.class)
		.withPropertyValues("management.endpoints.web.exposure.include=blllib", "blllib.n-cpu=2");

	@RegisterExtension
	final ConsumerThread consumer = ConsumerThread.withoutThreadCheck();

	@Test
	void endpointShouldBeAvailableWhenExposed() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(BlllibEndpoint.class));
	}

	@Test
	void endpointShouldBeAbsentWhenNotExposed() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=health")
			.run((context) -> assertThat(context).doesNotHaveBean(BlllibEndpoint.class));
	}

	@Test
	void endpointShouldBeAbsentWhenItsAccessIsNone() {
		this.contextRunner.withPropertyValues("management.endpoint.blllib.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(BlllibEndpoint.class));
	}

	@Test
	void endpointShouldBackOffWithoutActuatorAndPipelinesShouldStillRun() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Endpoint.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(BlllibEndpoint.class);
			try (Pipeline<Integer, Integer> pipeline = factory(context).create("numbers", "twice")) {
				assertThat(drain(pipeline.apply(range(3)))).containsExactly(0, 2, 4);
			}
		});
	}

	@Test
	void endpointShouldBackOffWhenThereIsNoSinglePipelineFactory() {
		this.contextRunner.withBean("first", PipelineFactory.class, UnsupportedPipelineFactory::new)
			.withBean("second", PipelineFactory.class, UnsupportedPipelineFactory::new)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(BlllibEndpoint.class);
			});
	}

	@Test
	void userDefinedEndpointShouldReplaceTheAutoConfiguredOne() {
		this.contextRunner.withBean("customEndpoint", BlllibEndpoint.class,
				() -> new BlllibEndpoint(null, null, null, null, false))
			.run((context) -> assertThat(context).getBeans(BlllibEndpoint.class).containsOnlyKeys("customEndpoint"));
	}

	@Test
	void stageBeansShouldBeListedByNameWithTheirSettings() {
		this.contextRunner.run((context) -> assertThat(endpoint(context).blllib().stages()).containsExactly(
				new StageBeanDescriptor("classify", "true", StageKind.STATEFUL, false, 0, 1, false, true),
				new StageBeanDescriptor("held", "false", StageKind.STATELESS, false, 0, HELD_BATCH_SIZE, false, false),
				new StageBeanDescriptor("pairs", "2", StageKind.WINDOW, false, 2, 3, true, false),
				new StageBeanDescriptor("twice", "false", StageKind.STATELESS, false, 0, 4, false, false)));
	}

	@Test
	void workerPoolShouldShowItsSizes() {
		this.contextRunner.run((context) -> {
			WorkerPoolDescriptor workerPool = endpoint(context).blllib().workerPool();
			assertThat(workerPool.corePoolSize()).isEqualTo(2);
			assertThat(workerPool.maxPoolSize()).isEqualTo(2);
			assertThat(workerPool.active()).isZero();
			assertThat(workerPool.queued()).isZero();
			assertThat(workerPool.virtualThreads()).isFalse();
		});
	}

	@Test
	@EnabledForJreRange(max = JRE.JAVA_20)
	void workerPoolShouldNotSayVirtualWhenBootsVirtualThreadsAreOnBelowJava21() {
		this.contextRunner.withPropertyValues("spring.threads.virtual.enabled=true")
			.run((context) -> assertThat(endpoint(context).blllib().workerPool().virtualThreads()).isFalse());
	}

	@Test
	void noPipelineShouldBeListedBeforeOneIsCreated() {
		this.contextRunner.run((context) -> assertThat(endpoint(context).blllib().pipelines()).isEmpty());
	}

	@Test
	void openPipelineShouldShowPerStageSettingsAndFigures() {
		this.contextRunner.run((context) -> {
			try (Pipeline<Integer, Integer> pipeline = factory(context).create("numbers", "twice", "classify", "pairs")) {
				assertThat(drain(pipeline.apply(range(6)))).containsExactly(4, 12);
				await().untilAsserted(() -> {
					PipelineDescriptor descriptor = endpoint(context).blllib().pipelines().get(0);
					assertThat(descriptor.name()).isEqualTo("numbers");
					assertThat(descriptor.hasOpenRun()).isFalse();
					assertThat(descriptor.position()).as("no run open").isNull();
					assertThat(descriptor.stages()).extracting(PipelineStageDescriptor::name)
						.containsExactly("twice", "classify", "pairs");
					PipelineStageDescriptor classify = descriptor.stages().get(1);
					assertThat(classify.kind()).isEqualTo(StageKind.STATEFUL);
					assertThat(classify.batchSize()).isEqualTo(1);
					assertThat(classify.processed()).isEqualTo(6);
					assertThat(classify.succeeded()).isEqualTo(3);
					assertThat(classify.dropped()).isEqualTo(3);
					assertThat(classify.errors()).isZero();
					assertThat(classify.inFlight()).isZero();
					assertThat(classify.meanDurationMillis()).isPositive();
					assertThat(classify.skipped()).isZero();
					assertThat(classify.retries()).isZero();
					assertThat(classify.timeouts()).isZero();
					assertThat(classify.maxRetries()).isNull();
					assertThat(classify.skipFailures()).isFalse();
					assertThat(classify.skipLimit()).isNull();
					assertThat(classify.timeout()).isNull();
					PipelineStageDescriptor pairs = descriptor.stages().get(2);
					assertThat(pairs.kind()).isEqualTo(StageKind.WINDOW);
					assertThat(pairs.window()).isEqualTo(2);
					assertThat(pairs.runInMaster()).isTrue();
					assertThat(pairs.processed()).isEqualTo(2);
				});
			}
		});
	}

	@Test
	void openPipelineShouldShowEachStagesRateLimitAndTheTimeItsCallsWaitedForPermits() {
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("limited")
			.then(StageSpec.stateful("remote", (Integer x) -> x).runInMaster()
				.rateLimit(RateLimit.of(2, Duration.ofMillis(20))))
			.then(StageSpec.stateful("plain", (Integer x) -> x))
			.build()) {
			assertThat(drain(pipeline.apply(range(6)))).hasSize(6);
			this.contextRunner.run((context) -> {
				BlllibEndpoint endpoint = new BlllibEndpoint(factory(context), context.getBeanFactory(),
						() -> List.of(pipeline), null, false);
				List<PipelineStageDescriptor> stages = endpoint.blllib().pipelines().get(0).stages();
				assertThat(stages.get(0)).satisfies((remote) -> {
					assertThat(remote.rateLimit()).isEqualTo(new RateLimitDescriptor(2, "PT0.02S"));
					assertThat(remote.permitWaitMillis())
						.isEqualTo(pipeline.statistics().get(0).permitWaitNanos() / 1_000_000.0)
						.isPositive();
				});
				assertThat(stages.get(1)).satisfies((plain) -> {
					assertThat(plain.rateLimit()).isNull();
					assertThat(plain.permitWaitMillis()).isZero();
				});
			});
		}
	}

	@Test
	void openPipelineShouldShowEachStagesFailurePolicyWithItsSkipsRetriesAndTimeouts() {
		AtomicInteger slowCalls = new AtomicInteger();
		try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("flaky")
			.nCpu(2)
			.deadLetters((item) -> {
			})
			.then(StageSpec.stateless("flaky", (Integer x) -> {
				if (x == 1 && slowCalls.incrementAndGet() == 1) {
					new CountDownLatch(1).await();
				}
				if (x == 3) {
					throw new IllegalStateException("three");
				}
				return x;
			}).batchSize(4).retry(Retry.maxRetries(2)).skipFailures().skipLimit(10).timeout(Duration.ofMillis(200)))
			.then(StageSpec.stateful("plain", (Integer x) -> x))
			.build()) {
			assertThat(drain(pipeline.apply(range(6)))).containsExactly(0, 1, 2, 4, 5);
			this.contextRunner.run((context) -> {
				BlllibEndpoint endpoint = new BlllibEndpoint(factory(context), context.getBeanFactory(),
						() -> List.of(pipeline), null, false);
				List<PipelineStageDescriptor> stages = endpoint.blllib().pipelines().get(0).stages();
				assertThat(stages.get(0)).satisfies((flaky) -> {
					assertThat(flaky.maxRetries()).isEqualTo(2);
					assertThat(flaky.skipFailures()).isTrue();
					assertThat(flaky.skipLimit()).isEqualTo(10);
					assertThat(flaky.timeout()).isEqualTo("PT0.2S");
					assertThat(flaky.processed()).isEqualTo(6);
					assertThat(flaky.succeeded()).isEqualTo(5);
					assertThat(flaky.skipped()).isEqualTo(1);
					assertThat(flaky.errors()).isZero();
					assertThat(flaky.retries()).isEqualTo(3);
					assertThat(flaky.timeouts()).isEqualTo(1);
				});
				assertThat(stages.get(1)).satisfies((plain) -> {
					assertThat(plain.maxRetries()).isNull();
					assertThat(plain.skipFailures()).isFalse();
					assertThat(plain.skipLimit()).isNull();
					assertThat(plain.timeout()).isNull();
					assertThat(plain.processed()).isEqualTo(5);
				});
			});
		}
	}

	@Test
	void openRunShouldShowThePositionItsConsumerPublished() {
		this.contextRunner.run((context) -> {
			try (Pipeline<Integer, Integer> pipeline = factory(context).create("numbers", "twice");
					PipelineRun<Integer> run = pipeline.apply(range(10))) {
				assertThat(run.next()).isEqualTo(0);
				assertThat(run.next()).isEqualTo(2);
				assertThat(run.next()).isEqualTo(4);
				assertThat(run.position()).isEqualTo(3);
				assertThat(endpoint(context).blllib().pipelines().get(0).position()).isEqualTo(3);
			}
		});
	}

	@Test
	void heldStageShouldShowItsInFlightItemsAndActiveThreads() {
		this.contextRunner.run((context) -> {
			Gate gate = context.getBean(Gate.class);
			try (Pipeline<Integer, Integer> pipeline = factory(context).create("frozen", "held")) {
				Future<List<Integer>> outputs = this.consumer.drain(pipeline.apply(range(20)));
				await().untilAsserted(() -> {
					PipelineDescriptor descriptor = endpoint(context).blllib().pipelines().get(0);
					assertThat(descriptor.hasOpenRun()).isTrue();
					assertThat(descriptor.position()).as("nothing delivered yet").isZero();
					assertThat(descriptor.stages().get(0).inFlight()).isEqualTo(HELD_BATCH_SIZE);
					assertThat(descriptor.stages().get(0).activeThreads()).isEqualTo(2);
					assertThat(endpoint(context).blllib().workerPool().active()).isEqualTo(2);
				});
				gate.open();
				assertThat(outputs.get(10, TimeUnit.SECONDS)).isEqualTo(range(20));
			}
			finally {
				gate.open();
			}
		});
	}

	@Test
	void asyncStageShouldBeShownAsAsyncWithItsOutstandingCallsAndNoThread() {
		this.contextRunner.withUserConfiguration(AsyncStageConfiguration.class).run((context) -> {
			assertThat(endpoint(context).blllib().stages()).contains(
					new StageBeanDescriptor("lookup", "true", StageKind.STATEFUL, true, 0, 3, false, false));
			PendingLookups lookups = context.getBean(PendingLookups.class);
			try (Pipeline<Integer, Integer> pipeline = factory(context).create("remote", "lookup")) {
				Future<List<Integer>> outputs = this.consumer.drain(pipeline.apply(range(10)));
				await().untilAsserted(() -> {
					PipelineStageDescriptor lookup = endpoint(context).blllib().pipelines().get(0).stages().get(0);
					assertThat(lookup.async()).isTrue();
					assertThat(lookup.inFlight()).isEqualTo(3);
					assertThat(lookup.activeThreads()).isZero();
				});
				lookups.answerAll();
				assertThat(outputs.get(10, TimeUnit.SECONDS)).isEqualTo(range(10));
				PipelineStageDescriptor lookup = endpoint(context).blllib().pipelines().get(0).stages().get(0);
				assertThat(lookup.processed()).isEqualTo(10);
				assertThat(lookup.succeeded()).isEqualTo(10);
				assertThat(lookup.inFlight()).isZero();
			}
		});
	}

	@Test
	void closedPipelineShouldNoLongerBeListed() {
		this.contextRunner.run((context) -> {
			factory(context).create("numbers", "twice").close();
			assertThat(endpoint(context).blllib().pipelines()).isEmpty();
		});
	}

	@Test
	void selectorShouldShowTheOpenPipelinesOfThatName() {
		this.contextRunner.run((context) -> {
			try (Pipeline<Integer, Integer> first = factory(context).create("twin", "twice");
					Pipeline<Integer, Integer> other = factory(context).create("other", "twice");
					Pipeline<Integer, Integer> second = factory(context).create("twin", "classify")) {
				assertThat(endpoint(context).pipeline("twin").pipelines())
					.extracting((pipeline) -> pipeline.stages().get(0).name())
					.containsExactly("twice", "classify");
			}
		});
	}

	@Test
	void selectorShouldShowNothingForANameWithNoOpenPipeline() {
		this.contextRunner.run((context) -> {
			factory(context).create("closed", "twice").close();
			assertThat(endpoint(context).pipeline("closed")).isNull();
			assertThat(endpoint(context).pipeline("unknown")).isNull();
		});
	}

	@Test
	void configurationMetadataShouldDescribeTheEndpointsAccessProperty() throws IOException {
		List<String> names = new ArrayList<>();
		for (URL url : Collections.list(getClass().getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json"))) {
			try (InputStream metadata = url.openStream()) {
				names.addAll(JsonPath.read(metadata, "$.properties[*].name"));
			}
		}
		assertThat(names).contains("management.endpoint.blllib.access");
	}

	private static BlllibEndpoint endpoint(AssertableApplicationContext context) {
		return context.getBean(BlllibEndpoint.class);
	}

	private static PipelineFactory factory(AssertableApplicationContext context) {
		return context.getBean(PipelineFactory.class);
	}

	@Configuration(proxyBeanMethods = false)
	static class AsyncStageConfiguration {

		@Bean
		@BlllibStage(batchSize = 3)
		PendingLookups lookup() {
			return new PendingLookups();
		}

	}

	/** An async stage whose calls stay outstanding until the test answers them all. */
	static class PendingLookups implements AsyncStage<Integer, Integer> {

		private final List<CompletableFuture<Integer>> pending = new ArrayList<>();

		private final List<Integer> inputs = new ArrayList<>();

		private boolean answering;

		@Override
		public synchronized CompletionStage<Integer> apply(Integer input) {
			if (this.answering) {
				return CompletableFuture.completedFuture(input);
			}
			CompletableFuture<Integer> future = new CompletableFuture<>();
			this.pending.add(future);
			this.inputs.add(input);
			return future;
		}

		/** Answers the calls outstanding, and from now on every call at once. */
		synchronized void answerAll() {
			this.answering = true;
			for (int i = 0; i < this.pending.size(); i++) {
				this.pending.get(i).complete(this.inputs.get(i));
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class StagesConfiguration {

		@Bean
		@BlllibStage(stateful = "false", batchSize = 4)
		Stage<Integer, Integer> twice() {
			return (x) -> 2 * x;
		}

		/** Stateful and prototype-scoped: keeps multiples of 4, drops the rest. */
		@Bean
		@Scope("prototype")
		Stage<Integer, Integer> classify() {
			return (x) -> (x % 4 == 0) ? x : null;
		}

		/** Sums pairs of consecutive items, on the consuming thread. */
		@Bean
		@BlllibStage(stateful = "2", batchSize = 3, runInMaster = true)
		Stage<List<Integer>, Integer> pairs() {
			return (window) -> window.get(0) + window.get(1);
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
