package io.github.blllib;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * An {@link AsyncStage} in a run, on its ring of at most its batch size of calls: the consuming
 * thread calls {@code apply} for each input as it tops the ring up (in input order), and each
 * future's completion settles the call's slot. No thread waits for a future, and none waits out
 * a retry's delay: a retry that comes due is queued for the consumer, which starts it on its
 * next poll. Under a rate limit, attempts wait in input order for their permits, and the
 * consumer starts them once one is due.
 *
 * <p>With a timeout, a timed-out call's future is cancelled, but it may go on: until it
 * completes it keeps its place in the batch, so that no more than the batch size of the futures
 * the stage returned are ever incomplete at once. New items and retries wait for a place.
 */
final class AsyncStageNode extends OrderedSlotRing {

	private final String pipeline;

	private final AsyncStage<Object, Object> stage;

	/** Whether the stage has a failure policy; without one the first failure fails the run. */
	private final boolean hasPolicy;

	/** Calls whose retry is due, for the consumer to start; null without a failure policy. */
	private final Queue<Call> dueRetries;

	/** Attempts waiting for a permit, in the order they were due; consuming thread; null without a rate limit. */
	private final Queue<Call> awaitingPermits;

	/** Futures returned and not completed, timed-out ones included; null without a timeout. */
	private final AtomicInteger openFutures;

	/** The open futures whose attempt timed out: their items may be gone, their places are not. */
	private final AtomicInteger timedOutOpenFutures;

	@SuppressWarnings("unchecked")
	AsyncStageNode(String pipeline, StageSpec<?, ?> spec, StageCounters counters, RunNode upstream, RunState signals,
			DeadLetterHandler deadLetters) {
		super(pipeline, spec, counters, upstream, signals, deadLetters, 1, true);
		this.pipeline = pipeline;
		this.stage = (AsyncStage<Object, Object>) spec.asyncStage();
		this.hasPolicy = this.failures.hasPolicy();
		this.dueRetries = this.hasPolicy ? new ConcurrentLinkedQueue<>() : null;
		this.awaitingPermits = (this.permits != null) ? new ArrayDeque<>() : null;
		boolean timed = this.failures.timeout() != null;
		this.openFutures = timed ? new AtomicInteger() : null;
		this.timedOutOpenFutures = timed ? new AtomicInteger() : null;
	}

	@Override
	long inFlightLimit() {
		return (this.timedOutOpenFutures != null) ? this.capacity - this.timedOutOpenFutures.get() : this.capacity;
	}

	@Override
	Object poll() {
		if (this.dueRetries != null && !this.dueRetries.isEmpty()) {
			startDueRetries();
		}
		if (this.awaitingPermits != null && !this.awaitingPermits.isEmpty()) {
			startPermitted();
		}
		return super.poll();
	}

	@Override
	void launch(long from, long to) {
		Call call = new Call(from, itemAt(from));
		// in the ring before the call starts, so that a close either finds it or is seen in start
		replaceItem(from, call);
		launch(call, 1);
	}

	/** Starts attempt {@code attempt} of a call, once its permit is due under a rate limit. Consuming thread. */
	private void launch(Call call, int attempt) {
		if (this.awaitingPermits == null) {
			start(call, attempt);
			return;
		}
		call.nextAttempt = attempt;
		this.awaitingPermits.add(call);
		startPermitted();
	}

	/** Starts the attempts waiting for permits, in order, while permits are due. Consuming thread. */
	private void startPermitted() {
		while (!this.awaitingPermits.isEmpty() && !this.signals.isClosed() && permitted()) {
			Call call = this.awaitingPermits.poll();
			start(call, call.nextAttempt);
		}
	}

	/** The consumer starts what waits for a permit on its next poll. */
	@Override
	void permitDue() {
		this.signals.wakeConsumer();
	}

	/** Starts attempt {@code attempt} of a call. Consuming thread. */
	private void start(Call call, int attempt) {
		if (attempt == 1) {
			call.started = System.nanoTime();
		}
		CompletionStage<Object> future;
		try {
			future = this.stage.apply(call.input);
			if (future == null) {
				throw new NullPointerException("Async stage '" + this.name + "' of pipeline '" + this.pipeline
						+ "' returned null instead of a CompletionStage for input #" + call.index);
			}
		}
		catch (Throwable ex) {
			attemptFailed(call, this.failures.afterFailure(ex, attempt));
			return;
		}
		call.future = future;
		if (this.openFutures != null) {
			this.openFutures.incrementAndGet();
		}
		if (this.hasPolicy) {
			future.whenComplete(new Attempt(call, attempt, future));
		}
		else {
			future.whenComplete(call);
		}
		if (this.signals.isClosed()) {
			cancel(future);
		}
	}

	/** Starts the due retries while the batch has a place for their futures. Consuming thread. */
	private void startDueRetries() {
		Call call;
		while ((call = this.dueRetries.peek()) != null) {
			if (this.signals.isClosed() || (this.openFutures != null && this.openFutures.get() >= this.capacity)) {
				return;
			}
			this.dueRetries.poll();
			launch(call, call.nextAttempt);
		}
	}

	/**
	 * A timed attempt's future completed, {@code timedOut} when its attempt had timed out: its
	 * place in the batch is free, for a waiting retry or a new item. Any thread.
	 */
	private void futureCompleted(boolean timedOut) {
		this.openFutures.decrementAndGet();
		if (timedOut) {
			this.timedOutOpenFutures.decrementAndGet();
		}
		if (timedOut || !this.dueRetries.isEmpty()) {
			this.signals.wakeConsumer();
		}
	}

	/** An attempt ended in time with {@code result} or {@code failure}. Any thread. */
	private void completed(Call call, int attempt, Object result, Throwable failure) {
		if (failure != null) {
			attemptFailed(call, this.failures.afterFailure(unwrap(failure), attempt));
		}
		else if (startSettling(call.index)) {
			this.counters.finished((result != null) ? 1 : 0, (result != null) ? 0 : 1, 0,
					System.nanoTime() - call.started);
			settle(call.index, (result != null) ? result : DROPPED);
		}
	}

	/**
	 * Settles a failed attempt as the policy's verdict says, or queues its retry. A failure once
	 * the run is closed is most likely the close's cancellation: it settles the call uncounted.
	 */
	private void attemptFailed(Call call, StageFailures.Verdict verdict) {
		if (this.signals.isClosed()) {
			if (startSettling(call.index)) {
				settle(call.index, new Unsuccessful.Failure(verdict.failure()));
			}
		}
		else if (verdict.retries()) {
			this.counters.retried();
			retryLater(call, verdict.attempt() + 1, verdict.retryDelayNanos());
		}
		else if (verdict.skips()) {
			if (startSettling(call.index)) {
				this.counters.itemSkipped();
				settle(call.index, new Unsuccessful.Skipped(call.input, verdict.failure(), verdict.attempt()));
			}
		}
		else if (startSettling(call.index)) {
			this.counters.finished(0, 0, 1, System.nanoTime() - call.started);
			settle(call.index, new Unsuccessful.Failure(verdict.failure()));
		}
	}

	/** Queues a call's next attempt for the consumer once {@code delayNanos} have passed. */
	private void retryLater(Call call, int attempt, long delayNanos) {
		if (delayNanos == 0) {
			retryDue(call.index, attempt);
		}
		else {
			retryAfter(delayNanos, call.index, attempt);
		}
	}

	@Override
	void retryDue(long position, int attempt) {
		Call call = (Call) itemAt(position);
		call.nextAttempt = attempt;
		this.dueRetries.add(call);
		this.signals.wakeConsumer();
	}

	/** Cancels every outstanding future. Any thread, once the run is closed. */
	void cancelOutstanding() {
		forEachItem((item) -> {
			if (item instanceof Call call && !isSettled(call.index)) {
				cancel(call.future);
			}
		});
	}

	private static void cancel(CompletionStage<?> future) {
		if (future == null) {
			return;
		}
		try {
			future.toCompletableFuture().cancel(true);
		}
		catch (UnsupportedOperationException ex) {
			// a stage that cannot be cancelled completes in its own time; its outcome is ignored
		}
	}

	private static Throwable unwrap(Throwable failure) {
		if ((failure instanceof CompletionException || failure instanceof ExecutionException)
				&& failure.getCause() != null) {
			return failure.getCause();
		}
		return failure;
	}

	/** One input's call: its attempts, the ring's item at its position. */
	private final class Call implements BiConsumer<Object, Throwable> {

		final long index;

		final Object input;

		/** When the first attempt started. */
		long started;

		/** The current attempt's future, null before the first one started. */
		volatile CompletionStage<?> future;

		/** The attempt a queued retry starts. */
		int nextAttempt;

		Call(long index, Object input) {
			this.index = index;
			this.input = input;
		}

		/** The first and only attempt of a stage without a failure policy ended. */
		@Override
		public void accept(Object result, Throwable failure) {
			completed(this, 1, result, failure);
		}

	}

	/**
	 * One attempt of a call under a failure policy, with its deadline when the stage has a
	 * timeout; it ends once, however often its future runs its callbacks.
	 */
	@SuppressWarnings("serial")
	private final class Attempt extends AtomicInteger implements BiConsumer<Object, Throwable> {

		/** Set once the future completed. */
		private static final int ENDED = 1;

		/** Set once the deadline came first. */
		private static final int TIMED_OUT = 2;

		private final Call call;

		private final int attempt;

		private final CallDeadline deadline;

		Attempt(Call call, int attempt, CompletionStage<?> future) {
			this.call = call;
			this.attempt = attempt;
			this.deadline = (AsyncStageNode.this.failures.timeout() != null) ? CallDeadline
				.start(AsyncStageNode.this.failures.timeout(), () -> cancel(future), this::expired) : null;
		}

		@Override
		public void accept(Object result, Throwable failure) {
			int seen = getAndAccumulate(ENDED, (state, bit) -> state | bit);
			if ((seen & ENDED) != 0) {
				return;
			}
			if (this.deadline == null) {
				completed(this.call, this.attempt, result, failure);
				return;
			}
			boolean inTime = this.deadline.endedInTime();
			futureCompleted((seen & TIMED_OUT) != 0);
			if (inTime) {
				completed(this.call, this.attempt, result, failure);
			}
		}

		private void expired() {
			// counted first, so that the count is never below the open timed-out futures; taken back
			// by whichever of the two comes second, this or the future's completion
			AsyncStageNode.this.timedOutOpenFutures.incrementAndGet();
			if ((getAndAccumulate(TIMED_OUT, (state, bit) -> state | bit) & ENDED) != 0) {
				AsyncStageNode.this.timedOutOpenFutures.decrementAndGet();
			}
			AsyncStageNode.this.counters.timedOut();
			attemptFailed(this.call, AsyncStageNode.this.failures.afterTimeout(this.attempt));
		}

	}

}
