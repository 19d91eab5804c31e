package io.github.blllib.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.github.blllib.Pipeline;
import io.github.blllib.PipelineListener;
import io.github.blllib.StageCall;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.ExecutorConfigurationSupport;

/**
 * The pipelines built by the {@link StageBeanPipelineFactory} that are not closed yet, in
 * creation order, and the one place that closes them on shutdown: when the context stops, all
 * of them within one deadline, {@code blllib.shutdown.close-timeout}. A pipeline leaves once its
 * close has ended and its other listeners have been told.
 */
final class OpenPipelines implements SmartLifecycle {

	/**
	 * Just above the phase of executors and schedulers, and below the web server's graceful
	 * shutdown and message listeners: pipelines close once those have stopped feeding them,
	 * while the worker pool still runs stage calls, and the application's executor tasks that
	 * consume a run see it end rather than hold up their executor's stop. A ContextClosedEvent
	 * listener would close them before a graceful shutdown lets requests finish; a destroy
	 * callback, after the executors' stop has waited on their runs.
	 */
	static final int PHASE = ExecutorConfigurationSupport.DEFAULT_PHASE + 1;

	private static final Log logger = LogFactory.getLog(OpenPipelines.class);

	private final Duration closeTimeout;

	private final Duration awaitTerminationPeriod;

	/** Guarded by itself, and guards {@link #running}. */
	private final List<Pipeline<?, ?>> pipelines = new ArrayList<>();

	/** False from a stop until the next start; the factory refuses new pipelines meanwhile. */
	private boolean running = true;

	private final PipelineListener registrar = new PipelineListener() {

		@Override
		public void pipelineCreated(Pipeline<?, ?> pipeline) {
			synchronized (OpenPipelines.this.pipelines) {
				OpenPipelines.this.pipelines.add(pipeline);
			}
		}

		@Override
		public void runEnded(Pipeline<?, ?> pipeline) {
			synchronized (OpenPipelines.this.pipelines) {
				OpenPipelines.this.pipelines.notifyAll();
			}
		}

		@Override
		public void pipelineClosed(Pipeline<?, ?> pipeline) {
			synchronized (OpenPipelines.this.pipelines) {
				OpenPipelines.this.pipelines.removeIf((open) -> open == pipeline);
			}
		}

	};

	/**
	 * @param closeTimeout how long closing every open pipeline on shutdown may take, zero or more
	 * @param awaitTerminationPeriod how long open runs get to end on their own before that, zero
	 * or more
	 */
	OpenPipelines(Duration closeTimeout, Duration awaitTerminationPeriod) {
		this.closeTimeout = closeTimeout;
		this.awaitTerminationPeriod = awaitTerminationPeriod;
	}

	/** The open pipelines, in creation order. */
	List<Pipeline<?, ?>> list() {
		synchronized (this.pipelines) {
			return List.copyOf(this.pipelines);
		}
	}

	/**
	 * The listener that keeps this registry up to date; the factory adds it to every pipeline
	 * after the listener beans, so that a pipeline is listed once they have all been told of it
	 * and leaves once they have all been told it closed.
	 */
	PipelineListener registrar() {
		return this.registrar;
	}

	@Override
	public void start() {
		synchronized (this.pipelines) {
			this.running = true;
		}
	}

	/** Whether the factory may build pipelines: from creation until the context stops. */
	@Override
	public boolean isRunning() {
		synchronized (this.pipelines) {
			return this.running;
		}
	}

	/** A closed pipeline does not reopen, so a pause (a checkpoint, say) leaves them open. */
	@Override
	public boolean isPauseable() {
		return false;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * Closes every open pipeline, all at once, and returns once they are closed or the close
	 * timeout is up; logs at WARN each stage call still running then.
	 */
	@Override
	public void stop() {
		List<Pipeline<?, ?>> open;
		synchronized (this.pipelines) {
			this.running = false;
			open = List.copyOf(this.pipelines);
		}
		if (open.isEmpty()) {
			return;
		}
		awaitRunsEnding(open);
		logger.info("Closing the pipelines still open at shutdown: " + describe(open));
		long start = System.nanoTime();
		List<Closer> closers = open.stream().map(Closer::start).toList();
		long timeoutNanos = saturatedNanos(this.closeTimeout);
		try {
			for (Closer closer : closers) {
				TimeUnit.NANOSECONDS.timedJoin(closer.thread, timeoutNanos - (System.nanoTime() - start));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		closers.stream().filter((closer) -> closer.thread.isAlive()).forEach(this::reportStillRunning);
	}

	/**
	 * Gives the open runs {@code blllib.shutdown.await-termination-period} to end on their own
	 * (exhausted, failed or closed by their consumers), as Boot's executors give their tasks.
	 */
	private void awaitRunsEnding(List<Pipeline<?, ?>> open) {
		if (this.awaitTerminationPeriod.isZero() || open.stream().noneMatch(Pipeline::hasOpenRun)) {
			return;
		}
		logger.info("Waiting up to " + this.awaitTerminationPeriod.toMillis() + "ms for the runs still open at "
				+ "shutdown to end: " + describe(open.stream().filter(Pipeline::hasOpenRun).toList()));
		long deadline = System.nanoTime() + saturatedNanos(this.awaitTerminationPeriod);
		List<Pipeline<?, ?>> running;
		synchronized (this.pipelines) {
			while (!(running = open.stream().filter(Pipeline::hasOpenRun).toList()).isEmpty()) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					break;
				}
				try {
					TimeUnit.NANOSECONDS.timedWait(this.pipelines, left);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					break;
				}
			}
		}
		if (!running.isEmpty()) {
			logger.info("Runs still open after " + this.awaitTerminationPeriod.toMillis() + "ms, closed now: "
					+ describe(running));
		}
	}

	private void reportStillRunning(Closer closer) {
		Pipeline<?, ?> pipeline = closer.pipeline;
		String late = "Pipeline '" + pipeline.name() + "' did not close within " + this.closeTimeout.toMillis() + "ms";
		List<StageCall> calls = closer.callsStillRunning();
		if (calls.isEmpty()) {
			logger.warn(late + "; the JVM may exit before it does");
		}
		for (StageCall call : calls) {
			String item = (call.index() >= 0) ? "item " + call.index() : "item unknown";
			logger.warn(late + ": stage '" + call.stage() + "' is still running on thread '" + call.thread() + "' ("
					+ item + "); the JVM may exit with it still running");
		}
	}

	/** "a, b (2), c": the names in creation order, with a count where pipelines share one. */
	private static String describe(List<Pipeline<?, ?>> pipelines) {
		return pipelines.stream()
			.collect(Collectors.groupingBy(Pipeline::name, LinkedHashMap::new, Collectors.counting()))
			.entrySet()
			.stream()
			.map((named) -> (named.getValue() == 1) ? named.getKey() : named.getKey() + " (" + named.getValue() + ")")
			.collect(Collectors.joining(", "));
	}

	private static long saturatedNanos(Duration duration) {
		try {
			return duration.toNanos();
		}
		catch (ArithmeticException ex) {
			return Long.MAX_VALUE;
		}
	}

	/** Closes one pipeline on a daemon thread of its own, so that all closes share the deadline. */
	private static final class Closer implements Runnable {

		private final Pipeline<?, ?> pipeline;

		private final Thread thread;

		private Closer(Pipeline<?, ?> pipeline) {
			this.pipeline = pipeline;
			this.thread = new Thread(this, "blllib-" + pipeline.name() + "-closer");
			this.thread.setDaemon(true);
		}

		static Closer start(Pipeline<?, ?> pipeline) {
			Closer closer = new Closer(pipeline);
			closer.thread.start();
			return closer;
		}

		@Override
		public void run() {
			this.pipeline.close();
		}

		List<StageCall> callsStillRunning() {
			return this.pipeline.runningCalls();
		}

	}

}
