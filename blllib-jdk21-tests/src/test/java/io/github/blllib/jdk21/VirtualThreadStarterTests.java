package io.github.blllib.jdk21;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.github.blllib.AsyncStage;
import io.github.blllib.BlllibStage;
import io.github.blllib.Pipeline;
import io.github.blllib.PipelineException;
import io.github.blllib.PipelineFactory;
import io.github.blllib.PipelineRun;
import io.github.blllib.Stage;
import io.github.blllib.autoconfigure.BlllibAutoConfiguration;
import io.github.blllib.autoconfigure.BlllibEndpointAutoConfiguration;
import io.github.blllib.autoconfigure.BlllibWorkerExecutorCustomizer;
import io.github.blllib.autoconfigure.endpoint.BlllibEndpoint;
import io.github.blllib.autoconfigure.metrics.BlllibMetricsAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.core.task.TaskDecorator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The starter on Java 21+ with Spring Boot's {@code spring.threads.virtual.enabled=true}: the
 * worker pool's and the stateful stages' threads are virtual, named as the platform ones, task
 * decorators, worker pool customizers and the pool's executor metrics still apply, the endpoint
 * says so, and every thread ends with its run or with the context.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class VirtualThreadStarterTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class, BlllibAutoConfiguration.class,
				BlllibEndpointAutoConfiguration.class))
		.withUserConfiguration(StagesConfiguration.class)
		.withPropertyValues("spring.threads.virtual.enabled=true", "blllib.n-cpu=4",
				"management.endpoints.web.exposure.include=blllib");

	@Test
	void workerPoolThreadsShouldBeVirtualAndNamedAsBefore() {
		this.contextRunner.run((context) -> {
			List<Thread> threads = threadsOfOneItem(context);
			assertThat(threads.get(0).isVirtual()).isTrue();
			assertThat(threads.get(0).getName()).startsWith("blllib-worker-");
		});
	}

	@Test
	void statefulStageThreadsShouldBeVirtualAndNamedAsBefore() {
		this.contextRunner.run((context) -> {
			List<Thread> threads = threadsOfOneItem(context);
			assertThat(threads.get(1).isVirtual()).isTrue();
			assertThat(threads.get(1).getName()).startsWith("blllib-threads-dedicatedThread-");
		});
	}

	@Test
	void threadsShouldBePlatformThreadsWithoutTheSwitch() {
		this.contextRunner.withPropertyValues("spring.threads.virtual.enabled=false").run((context) -> {
			List<Thread> threads = threadsOfOneItem(context);
			assertThat(threads).noneMatch(Thread::isVirtual);
			assertThat(threads).extracting(Thread::getName)
				.containsExactly("blllib-worker-1", "blllib-threads-dedicatedThread-1");
		});
	}

	@Test
	void endpointShouldSayTheThreadsAreVirtual() {
		this.contextRunner.run((context) -> assertThat(
				context.getBean(BlllibEndpoint.class).blllib().workerPool().virtualThreads())
			.isTrue());
	}

	@Test
	void endpointShouldSayTheThreadsArePlatformThreadsWithoutTheSwitch() {
		this.contextRunner.withPropertyValues("spring.threads.virtual.enabled=false")
			.run((context) -> assertThat(context.getBean(BlllibEndpoint.class).blllib().workerPool().virtualThreads())
				.isFalse());
	}

	@Test
	void pipelineOfEveryStageKindShouldGiveEveryOutputInInputOrder() {
		this.contextRunner.run((context) -> {
			try (Pipeline<Integer, String> pipeline = context.getBean(PipelineFactory.class)
				.create("kinds", "squareUnlessSeventh", "runningSum", "pairDifference", "echoLater", "label")) {
				for (int run = 0; run < 3; run++) {
					assertThat(pipeline.apply(range(2_000)).stream().toList()).isEqualTo(expectedKinds(2_000));
				}
			}
		});
	}

	@Test
	void taskDecoratorsShouldWrapTheTasksOfVirtualThreads() {
		this.contextRunner.withUserConfiguration(ThreadRecorderConfiguration.class).run((context) -> {
			List<Thread> threads = threadsOfOneItem(context);
			assertThat(context.getBean(ThreadRecorder.class).threads()).containsAll(threads);
		});
	}

	@Test
	void workerExecutorCustomizersShouldStillCustomizeTheVirtualWorkerPool() {
		this.contextRunner.withBean(BlllibWorkerExecutorCustomizer.class,
				() -> (executor) -> executor.setThreadNamePrefix("lookup-"))
			.run((context) -> {
				Thread worker = threadsOfOneItem(context).get(0);
				assertThat(worker.isVirtual()).isTrue();
				assertThat(worker.getName()).startsWith("lookup-");
			});
	}

	@Test
	void workerPoolMetricsShouldStillBeBoundWithVirtualThreads() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(BlllibMetricsAutoConfiguration.class))
			.withBean(SimpleMeterRegistry.class)
			.run((context) -> {
				threadsOfOneItem(context);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				await().untilAsserted(() -> assertThat(
						registry.get("executor.completed").tag("name", "blllib-worker").functionCounter().count())
					.isPositive());
			});
	}

	@Test
	void noThreadShouldOutliveItsRunOrTheContext() {
		List<Thread> recorded = new ArrayList<>();
		this.contextRunner.withUserConfiguration(ThreadRecorderConfiguration.class).run((context) -> {
			ThreadRecorder recorder = context.getBean(ThreadRecorder.class);
			try (Pipeline<Integer, String> pipeline = context.getBean(PipelineFactory.class)
				.create("kinds", "squareUnlessSeventh", "runningSum", "pairDifference", "echoLater", "label")) {
				assertThat(pipeline.apply(range(500)).stream().toList()).hasSize(expectedKinds(500).size());
				awaitEnded(recorder.dedicatedThreads());
				try (PipelineRun<String> run = pipeline.apply(IntStream.iterate(0, (i) -> i + 1)::iterator)) {
					assertThat(run.stream().limit(10).toList()).isEqualTo(expectedKinds(500).subList(0, 10));
				}
				awaitEnded(recorder.dedicatedThreads());
			}
			try (Pipeline<Integer, Integer> failing = context.getBean(PipelineFactory.class)
				.create("failing", "squareUnlessSeventh", "runningSum", "failOnThousand")) {
				assertThatExceptionOfType(PipelineException.class)
					.isThrownBy(() -> failing.apply(range(500)).stream().toList())
					.satisfies((ex) -> assertThat(ex.stage()).isEqualTo("failOnThousand"));
				awaitEnded(recorder.dedicatedThreads());
			}
			assertThat(recorder.threads()).isNotEmpty().allMatch(Thread::isVirtual);
			recorded.addAll(recorder.threads());
		});
		awaitEnded(recorded);
	}

	/** The worker and dedicated threads that ran one item through workerThread, dedicatedThread. */
	private static List<Thread> threadsOfOneItem(ConfigurableApplicationContext context) {
		try (Pipeline<Integer, List<Thread>> pipeline = context.getBean(PipelineFactory.class)
			.create("threads", "workerThread", "dedicatedThread")) {
			return pipeline.apply(List.of(1)).stream().findFirst().orElseThrow();
		}
	}

	private static void awaitEnded(List<Thread> threads) {
		await().untilAsserted(() -> assertThat(threads).noneMatch(Thread::isAlive));
	}

	private static List<Integer> range(int n) {
		return IntStream.range(0, n).boxed().toList();
	}

	/** What squareUnlessSeventh, runningSum, pairDifference, echoLater and label give, computed plainly. */
	static List<String> expectedKinds(int n) {
		List<Long> sums = new ArrayList<>();
		long sum = 0;
		for (int x = 0; x < n; x++) {
			if (x % 7 != 0) {
				sum += (long) x * x;
				sums.add(sum);
			}
		}
		List<String> labels = new ArrayList<>();
		for (int i = 1; i < sums.size(); i++) {
			labels.add("d" + (sums.get(i) - sums.get(i - 1)));
		}
		return labels;
	}

	@Configuration(proxyBeanMethods = false)
	static class StagesConfiguration {

		@Bean
		@BlllibStage(stateful = "false")
		Stage<Integer, List<Thread>> workerThread() {
			return (x) -> List.of(Thread.currentThread());
		}

		@Bean
		@Scope("prototype")
		Stage<List<Thread>, List<Thread>> dedicatedThread() {
			return (threads) -> List.of(threads.get(0), Thread.currentThread());
		}

		@Bean
		@BlllibStage(stateful = "false", batchSize = 16)
		Stage<Integer, Long> squareUnlessSeventh() {
			return (x) -> (x % 7 != 0) ? (long) x * x : null;
		}

		@Bean
		@Scope("prototype")
		@BlllibStage(batchSize = 8)
		Stage<Long, Long> runningSum() {
			long[] sum = new long[1];
			return (x) -> sum[0] += x;
		}

		@Bean
		@BlllibStage(stateful = "2", batchSize = 8)
		Stage<List<Long>, Long> pairDifference() {
			return (pair) -> pair.get(1) - pair.get(0);
		}

		@Bean
		@BlllibStage(stateful = "false", batchSize = 8)
		AsyncStage<Long, Long> echoLater() {
			return (x) -> CompletableFuture.supplyAsync(() -> x,
					CompletableFuture.delayedExecutor(100, TimeUnit.MICROSECONDS));
		}

		@Bean
		@BlllibStage(runInMaster = true)
		Stage<Long, String> label() {
			return (x) -> "d" + x;
		}

		@Bean
		@BlllibStage(stateful = "false", batchSize = 4)
		Stage<Long, Integer> failOnThousand() {
			return (x) -> {
				if (x > 1_000) {
					throw new IllegalStateException("over a thousand: " + x);
				}
				return x.intValue();
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ThreadRecorderConfiguration {

		@Bean
		ThreadRecorder threadRecorder() {
			return new ThreadRecorder();
		}

	}

	/** A task decorator that records every thread that runs a decorated task. */
	static class ThreadRecorder implements TaskDecorator {

		private final Queue<Thread> threads = new ConcurrentLinkedQueue<>();

		@Override
		public Runnable decorate(Runnable task) {
			return () -> {
				this.threads.add(Thread.currentThread());
				task.run();
			};
		}

		List<Thread> threads() {
			return List.copyOf(Set.copyOf(this.threads));
		}

		List<Thread> dedicatedThreads() {
			return threads().stream().filter((thread) -> !thread.getName().startsWith("blllib-worker-")).toList();
		}

	}

}
