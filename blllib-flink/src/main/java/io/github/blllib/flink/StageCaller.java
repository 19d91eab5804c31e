package io.github.blllib.flink;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.blllib.AsyncStage;
import io.github.blllib.DeadLetterHandler;
import io.github.blllib.Stage;
import io.github.blllib.PipelineException;
import io.github.blllib.RateLimit;
import io.github.blllib.StageFailures;
import io.github.blllib.StageFunction;
import io.github.blllib.StageSpec;
import io.github.blllib.StageTimeoutException;

/**
 * Calls one stage on a task manager with its failure policy (an async stage's future is waited
 * for on the calling thread, one of the batch-size threads of its subtask): its timeout (the call
 * runs on one of at most batch-size threads and is interrupted at the deadline; a call still
 * waiting for a thread then is not made), and what each failed attempt
 * becomes as the core's {@link StageFailures} decides it, a retry waited for on the calling thread
 * included. A stage with a rate limit has a budget of its own in each subtask (a copy of its
 * spec's limit), and each attempt waits for its permit on its calling thread, which is this
 * call's alone.
 */
final class StageCaller implements AutoCloseable {

	private final StageSpec<?, ?> spec;

	/** The stage, or null for an async one. */
	private final Stage<Object, Object> stage;

	/** The async stage, or null. */
	private final AsyncStage<Object, Object> asyncStage;

	/** What the stage's failed attempts become. */
	private final StageFailures failures;

	/** This subtask's budget of call starts, or null without a rate limit. */
	private final RateLimit rateLimit;

	/** Runs calls that have a deadline; null when the stage has no timeout. */
	private final ExecutorService timedCalls;

	/** Waits out a retry's delay on the calling thread. */
	private final RetryWait retryWait;

	StageCaller(String pipeline, StageSpec<?, ?> spec, DeadLetterHandler deadLetters, String threadName) {
		this(pipeline, spec, deadLetters, threadName, TimeUnit.NANOSECONDS::sleep);
	}

	@SuppressWarnings("unchecked")
	StageCaller(String pipeline, StageSpec<?, ?> spec, DeadLetterHandler deadLetters, String threadName,
			RetryWait retryWait) {
		this.spec = spec;
		this.retryWait = retryWait;
		this.stage = (spec.function() instanceof StageFunction.Blocking<?> blocking)
				? (Stage<Object, Object>) blocking.stage() : null;
		this.asyncStage = (spec.function() instanceof StageFunction.Async<?> async)
				? (AsyncStage<Object, Object>) async.stage() : null;
		this.failures = StageFailures.of(pipeline, spec, deadLetters);
		RateLimit limit = spec.settings().rateLimit();
		this.rateLimit = (limit != null) ? RateLimit.of(limit.permits(), limit.period()) : null;
		this.timedCalls = (spec.settings().timeout() != null && !spec.isAsync())
				? OnDemandThreadPool.create(spec.settings().batchSize(), threadName + "-timed") : null;
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
			if (this.rateLimit != null) {
				this.rateLimit.acquire();
			}
			try {
				return callOnce(input);
			}
			catch (InterruptedException ex) {
				throw ex;
			}
			catch (Throwable ex) {
				failure = ex;
			}
			StageFailures.Verdict verdict = this.failures.afterFailure(failure, attempt);
			if (verdict.retries()) {
				this.retryWait.waitNanos(verdict.retryDelayNanos());
				continue;
			}
			if (verdict.skips()) {
				this.failures.deadLetter(index, input, failure, attempt);
				return null;
			}
			throw this.failures.failed(index, failure);
		}
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

	/** How a caller waits out a retry's delay, to the nanosecond the {@code Retry} gives. */
	@FunctionalInterface
	interface RetryWait {

		void waitNanos(long nanos) throws InterruptedException;

	}

}
