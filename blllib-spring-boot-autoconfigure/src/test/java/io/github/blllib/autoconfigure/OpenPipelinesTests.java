package io.github.blllib.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.blllib.ConsumerThread;
import io.github.blllib.BlllibStage;
import io.github.blllib.Pipeline;
import io.github.blllib.PipelineFactory;
import io.github.blllib.PipelineListener;
import io.github.blllib.Stage;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static io.github.blllib.autoconfigure.Runs.drain;
import static io.github.blllib.autoconfigure.Runs.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link OpenPipelines}: the one path that closes the pipelines still open when the
 * application context closes, within {@code blllib.shutdown.close-timeout}.
 */
@ExtendWith(OutputCaptureExtension.class)
class OpenPipelinesTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class, BlllibAutoConfiguration.class))
		.withUserConfiguration(StagesConfiguration.class)
		.withPropertyValues("blllib.shutdown.close-timeout=100ms");

	@RegisterExtension
	final ConsumerThread consumer = ConsumerThread.withoutThreadCheck();

	@Test
	void contextCloseShouldReturnAndWarnOfTheStageThreadAndItemOfACallThatIgnoresInterrupts(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			StubbornCall call = context.getBean(StubbornCall.class);
			try {
				startHeldRun(context, call);
				context.close();
				assertThat(linesContaining(output, "did not close")).singleElement()
					.asString()
					.contains("WARN")
					.endsWith("Pipeline 'held' did not close within 100ms: stage 'stubborn' is still running on thread '"
							+ call.thread + "' (item 0); the JVM may exit with it still running");
			}
			finally {
				call.release();
			}
		});
	}

	@Test
	void workerPoolShouldNotPauseForACallTheCloseGaveUpOn() {
		this.contextRunner.run((context) -> {
			StubbornCall call = context.getBean(StubbornCall.class);
			ThreadPoolTaskExecutor workerPool = context.getBean(BlllibAutoConfiguration.WORKER_EXECUTOR_BEAN_NAME,
					ThreadPoolTaskExecutor.class);
			try {
				startHeldRun(context, call);
				context.close();
				// a lifecycle stop pauses the pool, then waits up to a phase timeout for its running tasks
				assertThat(workerPool.isRunning()).isTrue();
			}
			finally {
				call.release();
			}
		});
	}

	@Test
	void contextCloseShouldClosePipelinesWhoseStagesStopWhenInterruptedAndWarnOfNothing(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			Gate gate = context.getBean(Gate.class);
			try {
				Pipeline<Integer, Integer> pipeline = factory(context).create("gated", "polite");
				this.consumer.drain(pipeline.apply(range(3)));
				gate.entered.await();
				OpenPipelines openPipelines = context.getBean(OpenPipelines.class);
				context.close();
				assertThat(pipeline.isClosed()).isTrue();
				assertThat(pipeline.runningCalls()).isEmpty();
				assertThat(openPipelines.list()).isEmpty();
				assertThat(linesContaining(output, "WARN")).isEmpty();
			}
			finally {
				gate.open();
			}
		});
	}

	@Test
	void contextCloseShouldLetARunEndOnItsOwnWithinTheAwaitTerminationPeriod(CapturedOutput output) {
		this.contextRunner.withPropertyValues("blllib.shutdown.await-termination-period=1m").run((context) -> {
			Gate gate = context.getBean(Gate.class);
			OpenPipelines openPipelines = context.getBean(OpenPipelines.class);
			Pipeline<Integer, Integer> pipeline = factory(context).create("graceful", "polite");
			Future<List<Integer>> outputs = this.consumer.drain(pipeline.apply(range(3)));
			gate.entered.await();
			Thread closing = new Thread(context::close);
			closing.start();
			Awaitility.await().until(() -> !openPipelines.isRunning());
			Awaitility.await().until(() -> !linesContaining(output, "Waiting up to 60000ms").isEmpty());
			gate.open();
			assertThat(outputs.get()).containsExactly(0, 1, 2);
			closing.join();
			assertThat(pipeline.isClosed()).isTrue();
			assertThat(linesContaining(output, "closed now")).isEmpty();
		});
	}

	@Test
	void contextCloseShouldCloseARunStillOpenAfterTheAwaitTerminationPeriod(CapturedOutput output) {
		this.contextRunner.withPropertyValues("blllib.shutdown.await-termination-period=50ms").run((context) -> {
			Gate gate = context.getBean(Gate.class);
			try {
				Pipeline<Integer, Integer> pipeline = factory(context).create("impatient", "polite");
				this.consumer.drain(pipeline.apply(range(3)));
				gate.entered.await();
				context.close();
				assertThat(pipeline.isClosed()).isTrue();
				assertThat(linesContaining(output, "Runs still open after 50ms, closed now: impatient")).singleElement()
					.asString()
					.contains("INFO");
			}
			finally {
				gate.open();
			}
		});
	}

	@Test
	void contextCloseShouldLogThePipelinesStillOpenAtInfo(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			factory(context).create("numbers", "twice");
			factory(context).create("other", "twice");
			factory(context).create("numbers", "twice");
			factory(context).create("closed", "twice").close();
			context.close();
			assertThat(linesContaining(output, "Closing the pipelines still open")).singleElement()
				.asString()
				.contains("INFO")
				.endsWith("Closing the pipelines still open at shutdown: numbers (2), other");
		});
	}

	@Test
	void contextCloseShouldTellListenersOfEachOpenPipelineClosedOnce() {
		// a close timeout long enough that stop() returns once every closer is done, on a busy machine too
		this.contextRunner.withUserConfiguration(ClosedCounterConfiguration.class)
			.withPropertyValues("blllib.shutdown.close-timeout=60s")
			.run((context) -> {
			factory(context).create("first", "twice");
			factory(context).create("second", "twice");
			Map<String, AtomicInteger> closed = context.getBean(ClosedCounter.class).closed;
			context.close();
			assertThat(closed).containsOnlyKeys("first", "second");
			assertThat(closed.get("first")).hasValue(1);
			assertThat(closed.get("second")).hasValue(1);
		});
	}

	@Test
	void pipelinesShouldCloseWhileTheWorkerPoolStillRunsTasks() {
		this.contextRunner.withUserConfiguration(WorkerPoolProbeConfiguration.class).run((context) -> {
			factory(context).create("numbers", "twice");
			WorkerPoolProbe probe = context.getBean(WorkerPoolProbe.class);
			context.close();
			assertThat(probe.ranATask).isTrue();
		});
	}

	@Test
	void pipelinesShouldCloseBeforeAUserDefinedWorkerPoolIsStopped() {
		this.contextRunner
			.withUserConfiguration(UserWorkerPoolConfiguration.class, WorkerPoolProbeConfiguration.class)
			.run((context) -> {
				factory(context).create("numbers", "twice");
				WorkerPoolProbe probe = context.getBean(WorkerPoolProbe.class);
				context.close();
				assertThat(probe.poolRunning).isTrue();
			});
	}

	@Test
	void lifecycleBeansThatStopBeforeExecutorsShouldStillRunPipelinesWhenTheyStop() {
		this.contextRunner.withUserConfiguration(LastRunConfiguration.class).run((context) -> {
			LastRun lastRun = context.getBean(LastRun.class);
			context.close();
			assertThat(lastRun.outputs).containsExactly(0, 2, 4);
		});
	}

	@Test
	void pausingTheContextShouldLeavePipelinesOpen() {
		this.contextRunner.run((context) -> {
			Pipeline<Integer, Integer> pipeline = factory(context).create("numbers", "twice");
			context.pause();
			assertThat(pipeline.isClosed()).isFalse();
			context.restart();
			assertThat(drain(pipeline.apply(range(3)))).containsExactly(0, 2, 4);
		});
	}

	@Test
	void stoppingTheContextShouldCloseOpenPipelinesAndRefuseNewOnesUntilItStartsAgain() {
		this.contextRunner.run((context) -> {
			Pipeline<Integer, Integer> pipeline = factory(context).create("numbers", "twice");
			context.stop();
			assertThat(pipeline.isClosed()).isTrue();
			assertThatIllegalStateException().isThrownBy(() -> factory(context).create("numbers", "twice"));
			context.start();
			try (Pipeline<Integer, Integer> restarted = factory(context).create("numbers", "twice")) {
				assertThat(drain(restarted.apply(range(3)))).containsExactly(0, 2, 4);
			}
		});
	}

	/** Starts a run of pipeline {@code held} on the consumer and waits until its stage holds item 0. */
	private void startHeldRun(AssertableApplicationContext context, StubbornCall call) throws InterruptedException {
		Pipeline<Integer, Integer> pipeline = factory(context).create("held", "stubborn");
		this.consumer.drain(pipeline.apply(range(3)));
		call.entered.await();
	}

	private static PipelineFactory factory(AssertableApplicationContext context) {
		return context.getBean(PipelineFactory.class);
	}

	private static List<String> linesContaining(CapturedOutput output, String text) {
		return output.getAll().lines().filter((line) -> line.contains(text)).toList();
	}

	@Configuration(proxyBeanMethods = false)
	static class StagesConfiguration {

		@Bean
		StubbornCall stubbornCall() {
			return new StubbornCall();
		}

		@Bean
		@BlllibStage(stateful = "false")
		Stage<Integer, Integer> stubborn(StubbornCall call) {
			return call::hold;
		}

		@Bean
		Gate gate() {
			return new Gate();
		}

		@Bean
		@BlllibStage(stateful = "false")
		Stage<Integer, Integer> polite(Gate gate) {
			return (x) -> {
				gate.pass();
				return x;
			};
		}

		@Bean
		@BlllibStage(stateful = "false")
		Stage<Integer, Integer> twice() {
			return (x) -> 2 * x;
		}

	}

	/** A stage call that holds its item until released and ignores interrupts, as code stuck in I/O may. */
	static class StubbornCall {

		final CountDownLatch entered = new CountDownLatch(1);

		private final CountDownLatch released = new CountDownLatch(1);

		/** The thread running the call. */
		volatile String thread;

		Integer hold(Integer input) {
			this.thread = Thread.currentThread().getName();
			this.entered.countDown();
			boolean interrupted = false;
			while (true) {
				try {
					this.released.await();
					break;
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
			}
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
			return input;
		}

		void release() {
			this.released.countDown();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ClosedCounterConfiguration {

		@Bean
		ClosedCounter closedCounter() {
			return new ClosedCounter();
		}

	}

	/** Counts, per pipeline name, how often listeners are told a pipeline closed. */
	static class ClosedCounter implements PipelineListener {

		final Map<String, AtomicInteger> closed = new ConcurrentHashMap<>();

		@Override
		public void pipelineClosed(Pipeline<?, ?> pipeline) {
			this.closed.computeIfAbsent(pipeline.name(), (name) -> new AtomicInteger()).incrementAndGet();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class WorkerPoolProbeConfiguration {

		@Bean
		WorkerPoolProbe workerPoolProbe(
				@Qualifier(BlllibAutoConfiguration.WORKER_EXECUTOR_BEAN_NAME) Executor workerPool) {
			return new WorkerPoolProbe(workerPool);
		}

	}

	/** Looks at the worker pool when a pipeline closes: whether it is running and runs a task. */
	static class WorkerPoolProbe implements PipelineListener {

		private final Executor workerPool;

		volatile boolean poolRunning;

		volatile boolean ranATask;

		WorkerPoolProbe(Executor workerPool) {
			this.workerPool = workerPool;
		}

		@Override
		public void pipelineClosed(Pipeline<?, ?> pipeline) {
			this.poolRunning = ((ThreadPoolTaskExecutor) this.workerPool).isRunning();
			FutureTask<Boolean> task = new FutureTask<>(() -> true);
			try {
				this.workerPool.execute(task);
				this.ranATask = task.get(10, TimeUnit.SECONDS);
			}
			catch (Exception ex) {
				this.ranATask = false;
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserWorkerPoolConfiguration {

		@Bean(defaultCandidate = false)
		ThreadPoolTaskExecutor blllibWorkerExecutor() {
			ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
			executor.setThreadNamePrefix("user-worker-");
			return executor;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class LastRunConfiguration {

		@Bean
		LastRun lastRun(PipelineFactory factory) {
			return new LastRun(factory);
		}

	}

	/** A lifecycle bean of the default phase that runs a pipeline as it stops, as a message listener might. */
	static class LastRun implements SmartLifecycle {

		private final PipelineFactory factory;

		private volatile boolean running;

		volatile List<Integer> outputs = List.of();

		LastRun(PipelineFactory factory) {
			this.factory = factory;
		}

		@Override
		public void start() {
			this.running = true;
		}

		@Override
		public void stop() {
			try (Pipeline<Integer, Integer> pipeline = this.factory.create("last", "twice")) {
				this.outputs = drain(pipeline.apply(range(3)));
			}
			this.running = false;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

	}

}
