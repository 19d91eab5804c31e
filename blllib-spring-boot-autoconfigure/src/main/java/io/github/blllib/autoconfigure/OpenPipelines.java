package io.github.blllib.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
		public void pipelineClosed(Pipeline<?, ?> pipeline) {
			synchronized (OpenPipelines.this.pipelines) {
				OpenPipelines.this.pipelines.removeIf((open) -> open == pipeline);
			}
		}

	};

	/** @param closeTimeout how long closing every open pipeline on shutdown may take, zero or more */
	OpenPipelines(Duration closeTimeout) {
		this.closeTimeout = closeTimeout;
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

	/**
	 * Closes one pipeline on a daemon thread of its own, so that all closes share the deadline,
	 * reading first the stage calls running as the close begins: {@link Pipeline#runningCalls()}
	 * waits while a close stops the run's threads, so asking it once the deadline is up would
	 * hang, and even before, a close already under way elsewhere could hold it.
	 */
	private static final class Closer implements Runnable {

		private final Pipeline<?, ?> pipeline;

		private final Thread thread;

		/** Null until read. */
		private volatile List<StageCall> callsAtStart;

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
			this.callsAtStart = this.pipeline.runningCalls();
			this.pipeline.close();
		}

		/**
		 * The calls running as the close began whose stage still has a thread in it; calls of
		 * in-master stages ({@code consumer}) all, as the consumer is not counted per stage.
		 */
		List<StageCall> callsStillRunning() {
			List<StageCall> calls = this.callsAtStart;
			if (calls == null) {
				return List.of();
			}
			Map<String, Integer> activeThreads = new HashMap<>();
			this.pipeline.statistics().forEach((stage) -> activeThreads.put(stage.stage(), stage.activeThreads()));
			return calls.stream().filter((call) -> activeThreads.getOrDefault(call.stage(), 1) > 0).toList();
		}

	}

}
