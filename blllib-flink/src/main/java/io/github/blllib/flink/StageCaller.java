package io.github.blllib.flink;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.blllib.AsyncStage;
import io.github.blllib.DeadLetterHandler;
import io.github.blllib.FailedItem;
import io.github.blllib.PipelineException;
import io.github.blllib.Retry;
import io.github.blllib.Stage;
import io.github.blllib.StageFunction;
import io.github.blllib.StageKind;
import io.github.blllib.StageSpec;
import io.github.blllib.StageTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls one stage on a task manager with its failure policy (an async stage's future is waited
 * for on the calling thread, one of the batch-size threads of its subtask): the retries of its {@link Retry}
 * (waiting on the calling thread), its timeout (the call runs on a thread of its own and is
 * interrupted at the deadline) and skipping, which drops the item and hands it to the pipeline's
 * dead-letter handler (by default a WARN line). A failure it does not absorb becomes a
 * {@link PipelineException} naming pipeline, stage and index.
 */
final class StageCaller implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(StageCaller.class);

	private final String pipeline;

	private final StageSpec<?, ?> spec;

	/** The stage, or null for an async one. */
	private final Stage<Object, Object> stage;

	/** The async stage, or null. */
	private final AsyncStage<Object, Object> asyncStage;

	/** Receives skipped items; null to log them at WARN. */
	private final DeadLetterHandler deadLetters;

	/** Runs calls that have a deadline; null when the stage has no timeout. */
	private final ExecutorService timedCalls;

	@SuppressWarnings("unchecked")
	StageCaller(String pipeline, StageSpec<?, ?> spec, DeadLetterHandler deadLetters, String threadName) {
		this.pipeline = pipeline;
		this.spec = spec;
		this.stage = (spec.function() instanceof StageFunction.Blocking<?> blocking)
				? (Stage<Object, Object>) blocking.stage() : null;
		this.asyncStage = (spec.function() instanceof StageFunction.Async<?> async)
				? (AsyncStage<Object, Object>) async.stage() : null;
		this.deadLetters = deadLetters;
		this.timedCalls = (spec.settings().timeout() != null && !spec.isAsync())
				? Executors.newCachedThreadPool(daemonThreads(threadName + "-timed")) : null;
	}

	/**
	 * The stage's output for {@code input}, or {@code null} when the stage returned none or the
	 * item was skipped.
	 * @param index the item's position, for the failure's message
	 * @throws PipelineException when the call fails for good
	 */
	Object call(Object input, long index) throws InterruptedException {
		for (int attempt = 1;; attempt++) {
			Throwable failure;
			try {
				return callOnce(input);
			}
			catch (InterruptedException ex) {
				throw ex;
			}
			catch (Throwable ex) {
				failure = ex;
			}
			Retry retry = this.spec.settings().retry();
			// a stateful stage's timed-out call may still run: no second call beside it
			boolean mayRetry = !(failure instanceof StageTimeoutException && this.spec.settings().kind() == StageKind.STATEFUL);
			if (retry != null && mayRetry && retry.retries(failure, attempt)) {
				Thread.sleep(retry.delayBefore(attempt).toMillis());
				continue;
			}
			if (this.spec.settings().skipFailures() && !(failure instanceof Error)) {
				skipped(new FailedItem(this.pipeline, this.spec.name(), index, input, failure, attempt));
				return null;
			}
			throw new PipelineException(this.pipeline, this.spec.name(), index, failure);
		}
	}

	private void skipped(FailedItem item) {
		if (this.deadLetters != null) {
			this.deadLetters.accept(item);
			return;
		}
		logger.warn("Pipeline '{}': stage '{}' skipped input #{} after {} attempt(s): {}", item.pipeline(),
				item.stage(), item.index(), item.attempts(), item.failure().toString());
	}

	private Object callOnce(Object input) throws Exception {
		if (this.asyncStage != null) {
			return await(this.asyncStage.apply(input).toCompletableFuture());
		}
		if (this.timedCalls == null) {
			return this.stage.apply(input);
		}
		return await(this.timedCalls.submit(() -> this.stage.apply(input)));
	}

	/**
	 * The outcome of a call under way, waited for within the stage's timeout (without one, as
	 * long as it takes); the call is cancelled when it is given up.
	 */
	private Object await(Future<Object> call) throws Exception {
		Duration timeout = this.spec.settings().timeout();
		try {
			return (timeout != null) ? call.get(timeout.toNanos(), TimeUnit.NANOSECONDS) : call.get();
		}
		catch (TimeoutException ex) {
			call.cancel(true);
			throw new StageTimeoutException(this.spec.name(), timeout);
		}
		catch (ExecutionException | CompletionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			if (cause instanceof Exception exception) {
				throw exception;
			}
			throw (Error) cause;
		}
		catch (InterruptedException ex) {
			call.cancel(true);
			throw ex;
		}
	}

	@Override
	public void close() {
		if (this.timedCalls != null) {
			this.timedCalls.shutdownNow();
		}
	}

	static ThreadFactory daemonThreads(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

}
