package io.github.blllib;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;

/**
 * An {@link AsyncStage} in a run, with at most its batch size of futures outstanding.
 *
 * <p>The consuming thread starts a call for each input as it tops the stage up (calling
 * {@code apply}, in input order) and keeps the calls in a ring; each future's completion writes
 * the outcome into its call and wakes the consumer when that call is the head it waits for, as a
 * drainer finishing a slot does for a {@link ParallelStageNode}. The consumer hands outcomes
 * downstream strictly in input order. No thread waits for a future, and none waits out a retry's
 * delay: a retry that comes due is queued for the consumer, which starts it on its next poll.
 */
final class AsyncStageNode extends RunNode {

	private static final Object DROPPED = new Object();

	/** Slots a ring starts with at most: a batch size is a bound, memory follows calls in flight. */
	private static final int INITIAL_RING_SIZE = 1024;

	/** The largest ring: a Java array holds at most about 2^31 elements. */
	private static final int MAX_RING_SIZE = 1 << 30;

	private static final VarHandle CALLS = MethodHandles.arrayElementVarHandle(Call[].class);

	private static final VarHandle WAITING_HEAD;

	static {
		try {
			WAITING_HEAD = MethodHandles.lookup().findVarHandle(AsyncStageNode.class, "waitingHead", long.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final String pipeline;

	private final String name;

	private final AsyncStage<Object, Object> stage;

	private final StageCounters counters;

	private final RunNode upstream;

	private final RunState signals;

	/** The stage's failure policy, or null for the seed's: the first failure fails the run. */
	private final FailurePolicy policy;

	/** The items the stage skips in this run, or null without a failure policy. */
	private final SkippedItems skippedItems;

	/** Calls whose retry is due, for the consumer to start; null without a failure policy. */
	private final Queue<Call> dueRetries;

	/** Most calls in flight: the batch size, within what a ring can hold. */
	private final int capacity;

	/**
	 * The calls by position, the consumer's; a closing thread reads it to cancel what is
	 * outstanding. Replaced by a larger one as calls in flight grow towards the batch size.
	 */
	private volatile Call[] ring;

	// Written and read by the consuming thread only.
	private Call[] calls;

	private int mask;

	private long head;

	private long tail;

	private boolean upstreamEnded;

	/**
	 * Upstream's failure, thrown once every item taken before it has been handed downstream, so
	 * that a failure never overtakes the outputs of earlier inputs.
	 */
	private PipelineException upstreamFailure;

	/**
	 * The head the consumer waits for, published before it parks (again whenever its last poll
	 * moved past it, see {@link RunNode#pollWhileWaiting()}); read by completing threads.
	 */
	private long waitingHead;

	@SuppressWarnings("unchecked")
	AsyncStageNode(String pipeline, StageSpec<?, ?> spec, StageCounters counters, RunNode upstream, RunState signals,
			DeadLetterHandler deadLetters) {
		this.pipeline = pipeline;
		this.name = spec.name();
		this.stage = (AsyncStage<Object, Object>) spec.asyncStage();
		this.counters = counters;
		this.upstream = upstream;
		this.signals = signals;
		this.policy = spec.failurePolicy().isNone() ? null : spec.failurePolicy();
		this.skippedItems = (this.policy != null) ? new SkippedItems(pipeline, this.name, this.policy, deadLetters)
				: null;
		this.dueRetries = (this.policy != null) ? new ConcurrentLinkedQueue<>() : null;
		this.capacity = Math.min(spec.batchSize(), MAX_RING_SIZE);
		int ringSize = Integer.highestOneBit(Math.max(1, Math.min(this.capacity, INITIAL_RING_SIZE) - 1)) << 1;
		this.calls = new Call[ringSize];
		this.ring = this.calls;
		this.mask = ringSize - 1;
	}

	@Override
	boolean beforeWait() {
		boolean moved = (long) WAITING_HEAD.getOpaque(this) != this.head;
		WAITING_HEAD.setOpaque(this, this.head);
		return this.upstream.beforeWait() | moved;
	}

	@Override
	Object poll() {
		while (true) {
			if (this.dueRetries != null && !this.dueRetries.isEmpty()) {
				startDueRetries();
			}
			fill();
			if (this.head == this.tail) {
				if (this.upstreamFailure != null) {
					throw this.upstreamFailure;
				}
				return this.upstreamEnded ? END : NOT_READY;
			}
			long index = this.head;
			int slot = (int) (index & this.mask);
			Call call = this.calls[slot];
			Object outcome = call.outcome;
			if (outcome == null) {
				return NOT_READY;
			}
			// cleared, so that the ring holds no output it has handed on
			this.calls[slot] = null;
			this.head = index + 1;
			this.counters.inFlight((int) (this.tail - this.head));
			if (outcome instanceof Unsuccessful) {
				if (outcome instanceof Unsuccessful.Failure failure) {
					if (this.signals.isClosed()) {
						// most likely the cancellation of the close itself, not the stage's failure
						return NOT_READY;
					}
					throw new PipelineException(this.pipeline, this.name, index, failure.cause);
				}
				this.skippedItems.handOn((Unsuccessful.Skipped) outcome, index);
			}
			else if (outcome != DROPPED) {
				return outcome;
			}
		}
	}

	/** Starts a call for each upstream item, within the batch size. */
	private void fill() {
		if (this.upstreamEnded || this.signals.isClosed()) {
			return;
		}
		long before = this.tail;
		while (this.tail - this.head < this.capacity && !this.signals.isClosed()) {
			Object item;
			try {
				item = this.upstream.poll();
			}
			catch (PipelineException ex) {
				this.upstreamFailure = ex;
				this.upstreamEnded = true;
				break;
			}
			if (item == NOT_READY) {
				break;
			}
			if (item == END) {
				this.upstreamEnded = true;
				break;
			}
			if (this.tail - this.head > this.mask) {
				grow();
			}
			Call call = new Call(this.tail, item);
			// published before the call starts, so that a close either finds it or is seen below
			CALLS.setVolatile(this.calls, (int) (this.tail & this.mask), call);
			this.tail++;
			start(call, 1);
		}
		if (this.tail != before) {
			this.counters.inFlight((int) (this.tail - this.head));
		}
	}

	/** Doubles the ring, which holds fewer calls than the batch size allows. */
	private void grow() {
		int size = 2 * (this.mask + 1);
		int mask = size - 1;
		Call[] calls = new Call[size];
		for (long position = this.head; position < this.tail; position++) {
			calls[(int) (position & mask)] = this.calls[(int) (position & this.mask)];
		}
		this.calls = calls;
		this.mask = mask;
		this.ring = calls;
	}

	/** Starts attempt {@code attempt} of a call. Consuming thread. */
	private void start(Call call, int attempt) {
		CompletionStage<Object> future;
		try {
			future = this.stage.apply(call.input);
			if (future == null) {
				throw new NullPointerException("Async stage '" + this.name + "' of pipeline '" + this.pipeline
						+ "' returned null instead of a CompletionStage for input #" + call.index);
			}
		}
		catch (Throwable ex) {
			attemptFailed(call, attempt, ex);
			return;
		}
		call.future = future;
		if (this.policy == null) {
			future.whenComplete(call);
		}
		else {
			future.whenComplete(new Attempt(call, attempt, future));
		}
		if (this.signals.isClosed()) {
			cancel(future);
		}
	}

	private void startDueRetries() {
		Call call;
		while ((call = this.dueRetries.poll()) != null) {
			if (this.signals.isClosed()) {
				return;
			}
			start(call, call.nextAttempt);
		}
	}

	/** An attempt ended in time with {@code result} or {@code failure}. Any thread. */
	private void completed(Call call, int attempt, Object result, Throwable failure) {
		if (failure != null) {
			attemptFailed(call, attempt, unwrap(failure));
			return;
		}
		if (result != null) {
			this.counters.finished(1, 0, 0, System.nanoTime() - call.started);
			settle(call, result);
		}
		else {
			this.counters.finished(0, 1, 0, System.nanoTime() - call.started);
			settle(call, DROPPED);
		}
	}

	/**
	 * Settles a failed attempt as the policy says, or queues its retry. A failure once the run
	 * is closed is most likely the close's cancellation: it settles the call uncounted.
	 */
	private void attemptFailed(Call call, int attempt, Throwable failure) {
		if (this.signals.isClosed()) {
			settle(call, new Unsuccessful.Failure(failure));
			return;
		}
		if (this.policy != null) {
			if (this.policy.retries(failure, attempt)) {
				this.counters.retried();
				retryLater(call, attempt + 1, this.policy.retry().delayBefore(attempt).toNanos());
				return;
			}
			if (this.policy.skips(failure)) {
				this.counters.itemSkipped();
				settle(call, new Unsuccessful.Skipped(call.input, failure, attempt));
				return;
			}
		}
		this.counters.finished(0, 0, 1, System.nanoTime() - call.started);
		settle(call, new Unsuccessful.Failure(failure));
	}

	/** Queues a call's next attempt for the consumer once {@code delayNanos} have passed. */
	private void retryLater(Call call, int attempt, long delayNanos) {
		call.nextAttempt = attempt;
		if (delayNanos == 0) {
			retryDue(call);
		}
		else {
			CompletableFuture.delayedExecutor(delayNanos, TimeUnit.NANOSECONDS).execute(() -> retryDue(call));
		}
	}

	private void retryDue(Call call) {
		this.dueRetries.add(call);
		this.signals.wakeConsumer();
	}

	/**
	 * Writes a call's outcome and wakes a waiting consumer when the call is its head. Reads the
	 * waiter after writing the outcome, the reverse of the consumer's order (Dekker).
	 */
	private void settle(Call call, Object outcome) {
		call.outcome = outcome;
		Thread waiter = this.signals.waiter();
		if (waiter != null && (long) WAITING_HEAD.getVolatile(this) == call.index) {
			LockSupport.unpark(waiter);
		}
	}

	/** Cancels every outstanding future. Any thread, once the run is closed. */
	void cancelOutstanding() {
		Call[] ring = this.ring;
		for (int slot = 0; slot < ring.length; slot++) {
			Call call = (Call) CALLS.getVolatile(ring, slot);
			if (call != null && call.outcome == null) {
				cancel(call.future);
			}
		}
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

	/** One input's call: its attempts and, once settled, its outcome. */
	private final class Call implements BiConsumer<Object, Throwable> {

		final long index;

		final Object input;

		final long started = System.nanoTime();

		/** The outcome, null until settled; then an output, DROPPED or an {@link Unsuccessful}. */
		volatile Object outcome;

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

	/** One attempt of a call under a failure policy, with its deadline when the stage has a timeout. */
	private final class Attempt implements BiConsumer<Object, Throwable> {

		private final Call call;

		private final int attempt;

		private final CallDeadline deadline;

		Attempt(Call call, int attempt, CompletionStage<?> future) {
			this.call = call;
			this.attempt = attempt;
			this.deadline = (AsyncStageNode.this.policy.timeout() != null)
					? CallDeadline.start(AsyncStageNode.this.policy.timeout(), () -> cancel(future), this::expired) : null;
		}

		@Override
		public void accept(Object result, Throwable failure) {
			if (this.deadline == null || this.deadline.endedInTime()) {
				completed(this.call, this.attempt, result, failure);
			}
		}

		private void expired() {
			AsyncStageNode.this.counters.timedOut();
			attemptFailed(this.call, this.attempt,
					new StageTimeoutException(AsyncStageNode.this.name, AsyncStageNode.this.policy.timeout()));
		}

	}

}
