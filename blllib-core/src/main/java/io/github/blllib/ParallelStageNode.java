package io.github.blllib;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A stage run off the consuming thread, with at most its batch size of items in flight.
 *
 * <p>The consuming thread appends inputs to a ring of slots and publishes them; drainer tasks
 * on the executor claim published slots in chunks, run the stage and write each output into
 * its slot; the consuming thread hands outputs downstream strictly in slot order. A stateful
 * stage has one drainer on its dedicated thread, so its calls stay sequential and in order; a
 * stateless stage has up to n-cpu drainers on the shared pool. Handing items over in chunks
 * keeps the cost per item low when the stage is cheap, and each output is visible as soon as
 * it is written, so a slow item delays only the items behind it.
 */
final class ParallelStageNode extends RunNode {

	private static final Object DROPPED = new Object();

	private final String pipeline;

	/** The stage's failure policy, or null for the seed's: the first failure fails the run. */
	private final FailurePolicy policy;

	/** Whether the stage has a thread of its own, which waits out a retry's delay to keep order. */
	private final boolean dedicated;

	/** The items the stage skips in this run, or null without a failure policy. */
	private final SkippedItems skippedItems;

	/**
	 * Retries whose delay has passed, for the first drainer between two items or the task queued
	 * for each on the executor, whichever comes first; null without a failure policy.
	 */
	private final Queue<DueRetry> dueRetries;

	private final String name;

	private final RunState signals;

	private final RunNode upstream;

	private final Stage<Object, Object> stage;

	private final StageCounters counters;

	private final DrainerGroup drainers;

	private final int capacity;

	/** Slots a ring starts with at most: a batch size is a bound, memory follows items in flight. */
	private static final int INITIAL_RING_SIZE = 1024;

	/** The largest ring: a Java array holds at most about 2^31 elements. */
	private static final int MAX_RING_SIZE = 1 << 30;

	// The ring: replaced by a larger one only while no drainer works on this stage, and published
	// to drainers with the work written after it.
	private int mask;

	private final int chunk;

	private final int refillThreshold;


	private Object[] inputs;

	/** Outputs by slot; a slot's output is ready when {@link #done} holds its position. */
	private Object[] outputs;

	private long[] done;

	private static final VarHandle WAITING_HEAD;

	private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

	/** Longs in a cache line. */
	private static final int LINE_LONGS = 8;

	private static final int PUBLISHED = LINE_LONGS;

	private static final int CLAIMED = 2 * LINE_LONGS;

	static {
		try {
			WAITING_HEAD = MethodHandles.lookup().findVarHandle(ParallelStageNode.class, "waitingHead", long.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	// Written and read by the consuming thread only.
	private long head;

	/** The head as the consumer last saw it before parking; read by drainers. */
	private long waitingHead;

	private long tail;

	private boolean upstreamEnded;

	/**
	 * Upstream's failure, thrown once every item taken before it has been handed downstream, so
	 * that a failure never overtakes the outputs of earlier inputs.
	 */
	private PipelineException upstreamFailure;

	/**
	 * The published and claimed positions, the only mutable state drainers share with the
	 * consuming thread, each alone on its cache line so that neither the consumer's per-item
	 * bookkeeping nor idle drainers polling for work make the other's line bounce.
	 */
	private final long[] positions = new long[3 * LINE_LONGS];

	@SuppressWarnings("unchecked")
	ParallelStageNode(String pipeline, StageSpec<?, ?> spec, StageCounters counters, RunNode upstream,
			RunState signals, DrainerGroup drainers, DeadLetterHandler deadLetters, int chunk, int refillThreshold) {
		this.pipeline = pipeline;
		this.policy = spec.failurePolicy().isNone() ? null : spec.failurePolicy();
		this.dedicated = spec.kind() == StageKind.STATEFUL;
		this.skippedItems = (this.policy != null) ? new SkippedItems(pipeline, spec.name(), this.policy, deadLetters)
				: null;
		this.dueRetries = (this.policy != null) ? new ConcurrentLinkedQueue<>() : null;
		this.name = spec.name();
		this.signals = signals;
		this.upstream = upstream;
		this.stage = (Stage<Object, Object>) spec.stage();
		this.counters = counters;
		this.drainers = drainers;
		this.capacity = spec.batchSize();
		int ringSize = Integer.highestOneBit(Math.max(1, Math.min(this.capacity, INITIAL_RING_SIZE) - 1)) << 1;
		this.mask = ringSize - 1;
		this.inputs = new Object[ringSize];
		this.outputs = new Object[ringSize];
		this.done = new long[ringSize];
		Arrays.fill(this.done, -1);
		this.chunk = Math.max(1, chunk);
		this.refillThreshold = Math.max(1, Math.min(refillThreshold, this.capacity));
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
			fill();
			if (this.head == this.tail) {
				if (this.upstreamFailure != null) {
					throw this.upstreamFailure;
				}
				return this.upstreamEnded ? END : NOT_READY;
			}
			long index = this.head;
			int slot = (int) (index & this.mask);
			if ((long) LONGS.getAcquire(this.done, slot) != index) {
				return NOT_READY;
			}
			// slots are overwritten, not cleared: clearing would bounce cache lines between threads,
			// and what a ring holds is bounded by its size
			Object output = this.outputs[slot];
			this.head = index + 1;
			this.counters.inFlight((int) (this.tail - this.head));
			if (output instanceof Unsuccessful) {
				if (output instanceof Unsuccessful.Failure failure) {
					if (this.signals.isClosed()) {
						// most likely the interrupt of the close itself, not the stage's failure
						return NOT_READY;
					}
					throw new PipelineException(this.pipeline, this.name, index, failure.cause);
				}
				this.skippedItems.handOn((Unsuccessful.Skipped) output, index);
			}
			else if (output != DROPPED) {
				return output;
			}
		}
	}

	/** Tops the stage up from upstream, in chunks, within the batch size. */
	private void fill() {
		// a consumer back from an in-master call during which the run was closed tops up no more
		if (this.upstreamEnded || this.signals.isClosed()) {
			return;
		}
		long free = this.capacity - (this.tail - this.head);
		if (free < this.refillThreshold && this.tail != this.head) {
			return;
		}
		long before = this.tail;
		if (this.tail - this.head > this.mask && this.mask + 1 < Math.min(this.capacity, MAX_RING_SIZE)) {
			growWhenIdle();
		}
		long room = Math.min(this.capacity, this.mask + 1L);
		while (this.tail - this.head < room) {
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
			this.inputs[(int) (this.tail & this.mask)] = item;
			this.tail++;
		}
		if (this.tail != before) {
			LONGS.setVolatile(this.positions, PUBLISHED, this.tail);
			this.counters.inFlight((int) (this.tail - this.head));
			startDrainers();
		}
	}

	/**
	 * Doubles a full ring once every published item is done, so that no drainer holds the old
	 * one: until then the stage works on with the ring it has.
	 */
	private void growWhenIdle() {
		if (claimed() != published()) {
			return;
		}
		for (long position = this.tail - 1; position >= this.head; position--) {
			if ((long) LONGS.getAcquire(this.done, (int) (position & this.mask)) != position) {
				return;
			}
		}
		int size = 2 * (this.mask + 1);
		int mask = size - 1;
		Object[] inputs = new Object[size];
		Object[] outputs = new Object[size];
		long[] done = new long[size];
		Arrays.fill(done, -1);
		for (long position = this.head; position < this.tail; position++) {
			int from = (int) (position & this.mask);
			int to = (int) (position & mask);
			inputs[to] = this.inputs[from];
			outputs[to] = this.outputs[from];
			done[to] = position;
		}
		this.inputs = inputs;
		this.outputs = outputs;
		this.done = done;
		this.mask = mask;
	}

	private void startDrainers() {
		long unclaimed = published() - claimed();
		try {
			this.drainers.workPublished((unclaimed + this.chunk - 1) / this.chunk);
		}
		catch (RejectedExecutionException ex) {
			if (!this.signals.isClosed()) {
				throw new PipelineException(this.pipeline, this.name, claimed(),
						"Stage '" + this.name + "' of pipeline '" + this.pipeline + "': its executor rejected work", ex);
			}
		}
	}

	private long published() {
		return (long) LONGS.getVolatile(this.positions, PUBLISHED);
	}

	private long claimed() {
		return (long) LONGS.getVolatile(this.positions, CLAIMED);
	}

	/** Whether published items wait for a drainer. */
	boolean hasUnclaimedWork() {
		return claimed() < published();
	}

	/** Claims the next published chunk and runs it; false when there is none. Drainer threads. */
	boolean runNextChunk(StageCallSite site) {
		while (true) {
			long start = claimed();
			long end = Math.min(published(), start + this.chunk);
			if (start >= end) {
				return false;
			}
			if (LONGS.compareAndSet(this.positions, CLAIMED, start, end)) {
				this.counters.threadStarted();
				site.stage = this.name;
				try {
					if (this.policy == null) {
						runChunk(start, end, site);
					}
					else {
						runChunkWithPolicy(start, end, site);
					}
				}
				finally {
					site.stage = null;
					this.counters.threadEnded();
				}
				return true;
			}
		}
	}

	private void runChunk(long start, long end, StageCallSite site) {
		int succeeded = 0;
		int dropped = 0;
		int failed = 0;
		long began = System.nanoTime();
		for (long position = start; position < end && !this.drainers.isCancelled(); position++) {
			int slot = (int) (position & this.mask);
			Object input = this.inputs[slot];
			site.index = position;
			Object output;
			try {
				output = this.stage.apply(input);
				if (output == null) {
					output = DROPPED;
					dropped++;
				}
				else {
					succeeded++;
				}
			}
			catch (Throwable ex) {
				output = new Unsuccessful.Failure(ex);
				failed++;
			}
			this.outputs[slot] = output;
			LONGS.setRelease(this.done, slot, position);
		}
		this.counters.finished(succeeded, dropped, failed, System.nanoTime() - began);
		// A parked consumer is woken once per chunk, not per item: a wake-up costs more than a
		// cheap item, and stealing a core from the workers for each of them slows CPU-bound
		// stages. Dekker with the consumer, which publishes itself as waiter and then re-reads
		// outputs: after this fence either it saw our outputs or we see it waiting.
		VarHandle.fullFence();
		signalIfHeadIn(start, end);
	}

	/**
	 * Wakes a waiting consumer when this stage's head is among the finished positions: only a
	 * head's completion lets the consumer move on. Reads the waiter before the head, the
	 * reverse of the consumer's order.
	 */
	private void signalIfHeadIn(long from, long to) {
		Thread waiter = this.signals.waiter();
		if (waiter != null) {
			long head = (long) WAITING_HEAD.getOpaque(this);
			if (head >= from && head < to) {
				LockSupport.unpark(waiter);
			}
		}
	}

	/** As {@link #runChunk}, with the stage's failure policy: retries, skips. */
	private void runChunkWithPolicy(long start, long end, StageCallSite site) {
		long began = System.nanoTime();
		for (long position = start; position < end && !this.drainers.isCancelled(); position++) {
			if (!this.dueRetries.isEmpty()) {
				runDueRetries(site);
			}
			Object input = this.inputs[(int) (position & this.mask)];
			site.index = position;
			callWithPolicy(position, input, 1);
		}
		this.counters.finished(0, 0, 0, System.nanoTime() - began);
		VarHandle.fullFence();
		signalIfHeadIn(start, end);
	}

	/**
	 * Calls the stage for one item from attempt {@code firstAttempt} on, retrying as the policy
	 * says, and settles the item's slot; or leaves it to a retry after a delay (which a
	 * stateless stage waits out without holding its thread), or to the call's deadline.
	 */
	private void callWithPolicy(long position, Object input, int firstAttempt) {
		for (int attempt = firstAttempt;; attempt++) {
			CallDeadline deadline = (this.policy.timeout() != null) ? startDeadline(position, input, attempt) : null;
			Object output = null;
			Throwable failure = null;
			try {
				output = this.stage.apply(input);
			}
			catch (Throwable ex) {
				failure = ex;
			}
			if (deadline != null && !deadline.finishedInTime()) {
				return;
			}
			if (failure == null) {
				this.counters.finished((output != null) ? 1 : 0, (output != null) ? 0 : 1, 0, 0);
				settle(position, (output != null) ? output : DROPPED);
				return;
			}
			if (!failedAttempt(position, input, attempt, failure, true)) {
				return;
			}
		}
	}

	/**
	 * Settles a failed attempt as the policy says, or starts its retry.
	 * @param onCallingThread whether this is the thread that made the call (else the call's
	 * deadline passed and the thread may still be in it)
	 * @return true when the calling thread should try again now
	 */
	private boolean failedAttempt(long position, Object input, int attempt, Throwable failure,
			boolean onCallingThread) {
		// once the run is closed, most likely by the close's own interrupt: neither retried nor
		// skipped, as no consumer is left to hand a dead letter to
		boolean cancelled = this.drainers.isCancelled();
		if (!cancelled && this.policy.retries(failure, attempt) && (onCallingThread || !this.dedicated)) {
			this.counters.retried();
			long delay = this.policy.retry().delayBefore(attempt).toNanos();
			if (onCallingThread && (delay == 0 || (this.dedicated && FailurePolicy.waitedOut(delay)))) {
				return true;
			}
			if (!this.dedicated) {
				retryLater(position, input, attempt + 1, delay);
				return false;
			}
		}
		else if (!cancelled && this.policy.skips(failure)) {
			this.counters.itemSkipped();
			settle(position, new Unsuccessful.Skipped(input, failure, attempt));
			return false;
		}
		this.counters.finished(0, 0, 1, 0);
		settle(position, new Unsuccessful.Failure(failure));
		return false;
	}

	/** The deadline of an attempt: at it, the attempt fails with a {@link StageTimeoutException}. */
	private CallDeadline startDeadline(long position, Object input, int attempt) {
		return CallDeadline.start(this.policy.timeout(), () -> {
			if (this.drainers.isCancelled()) {
				// the run was closed with the call under way: it has no outcome left to fix
				return;
			}
			this.counters.timedOut();
			failedAttempt(position, input, attempt, new StageTimeoutException(this.name, this.policy.timeout()), false);
			VarHandle.fullFence();
			signalIfHeadIn(position, position + 1);
		});
	}



	/** Tries an item again after a delay, on the group's executor, holding no thread meanwhile. */
	private void retryLater(long position, Object input, int attempt, long delayNanos) {
		Executor later = CompletableFuture.delayedExecutor(delayNanos, TimeUnit.NANOSECONDS);
		later.execute(() -> {
			DueRetry retry = new DueRetry(position, input, attempt);
			// a drainer busy with other items of this stage takes it between two of them; the
			// task is for when none is (a retry that waited behind their chunks held up the head)
			this.dueRetries.add(retry);
			try {
				this.drainers.runDetached((site) -> {
					if (!retry.claim()) {
						return;
					}
					this.counters.threadStarted();
					site.stage = this.name;
					try {
						runRetry(retry, site);
					}
					finally {
						site.stage = null;
						this.counters.threadEnded();
					}
				});
			}
			catch (RejectedExecutionException ex) {
				if (retry.claim() && !this.signals.isClosed()) {
					settle(position, new Unsuccessful.Failure(ex));
					VarHandle.fullFence();
					signalIfHeadIn(position, position + 1);
				}
			}
		});
	}

	/** Runs the due retries that no other thread has taken. Drainer threads, between two items. */
	private void runDueRetries(StageCallSite site) {
		DueRetry retry;
		while ((retry = this.dueRetries.poll()) != null && !this.drainers.isCancelled()) {
			if (retry.claim()) {
				runRetry(retry, site);
			}
		}
	}

	private void runRetry(DueRetry retry, StageCallSite site) {
		site.index = retry.position;
		callWithPolicy(retry.position, retry.input, retry.attempt);
		VarHandle.fullFence();
		signalIfHeadIn(retry.position, retry.position + 1);
	}

	private void settle(long position, Object outcome) {
		int slot = (int) (position & this.mask);
		this.outputs[slot] = outcome;
		LONGS.setRelease(this.done, slot, position);
	}

	/** An item's next attempt, once its delay has passed: run once, by whoever claims it first. */
	private static final class DueRetry {

		private static final VarHandle CLAIMED;

		static {
			try {
				CLAIMED = MethodHandles.lookup().findVarHandle(DueRetry.class, "claimed", boolean.class);
			}
			catch (ReflectiveOperationException ex) {
				throw new ExceptionInInitializerError(ex);
			}
		}

		final long position;

		final Object input;

		final int attempt;

		private volatile boolean claimed;

		DueRetry(long position, Object input, int attempt) {
			this.position = position;
			this.input = input;
			this.attempt = attempt;
		}

		boolean claim() {
			return CLAIMED.compareAndSet(this, false, true);
		}

	}

}
