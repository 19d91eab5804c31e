package io.github.blllib;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A stage run off the consuming thread by drainers, on its ring of at most its batch size of
 * items: drainer tasks on the executor claim published positions in chunks, run the stage and
 * settle each item's slot. A stateful stage has one drainer on its dedicated thread, so its calls
 * stay sequential and in order; a stateless stage has up to n-cpu drainers on the shared pool.
 * Handing items over in chunks keeps the cost per item low when the stage is cheap, and each
 * output is visible as soon as it is written, so a slow item delays only the items behind it.
 */
final class ParallelStageNode extends OrderedSlotRing {

	private final String pipeline;

	/** Whether the stage has a failure policy; without one the first failure fails the run. */
	private final boolean hasPolicy;

	/** Whether the stage has a thread of its own, which waits out a retry's delay to keep order. */
	private final boolean dedicated;

	/**
	 * Retries whose delay has passed, for the first drainer between two items or the task queued
	 * for each on the executor, whichever comes first; null without a failure policy.
	 */
	private final Queue<DueRetry> dueRetries;

	private final Stage<Object, Object> stage;

	private final DrainerGroup drainers;

	private final int chunk;

	@SuppressWarnings("unchecked")
	ParallelStageNode(String pipeline, StageSpec<?, ?> spec, StageCounters counters, RunNode upstream,
			RunState signals, DrainerGroup drainers, DeadLetterHandler deadLetters, int chunk, int refillThreshold) {
		super(pipeline, spec, counters, upstream, signals, deadLetters, refillThreshold, false);
		this.pipeline = pipeline;
		this.hasPolicy = this.failures.hasPolicy();
		this.dedicated = spec.kind() == StageKind.STATEFUL;
		this.dueRetries = this.hasPolicy ? new ConcurrentLinkedQueue<>() : null;
		this.stage = (Stage<Object, Object>) spec.stage();
		this.drainers = drainers;
		// a rate-limited stage takes one permit per item claimed
		this.chunk = (this.permits != null) ? 1 : Math.max(1, chunk);
	}

	@Override
	void launch(long from, long to) {
		try {
			startDrainers();
		}
		catch (RejectedExecutionException ex) {
			if (!this.signals.isClosed()) {
				throw rejected(ex);
			}
		}
	}

	private void startDrainers() {
		long unclaimed = published() - claimed();
		this.drainers.workPublished((unclaimed + this.chunk - 1) / this.chunk);
	}

	private PipelineException rejected(RejectedExecutionException ex) {
		return new PipelineException(this.pipeline, this.name, claimed(),
				"Stage '" + this.name + "' of pipeline '" + this.pipeline + "': its executor rejected work", ex);
	}

	/**
	 * Drainers resume claiming, a permit being due; a stateful stage's drainer is submitted to
	 * its thread again. When the executor refuses, the next item fails the run. Any thread.
	 */
	@Override
	void permitDue() {
		try {
			startDrainers();
		}
		catch (RejectedExecutionException ex) {
			long next = claimed();
			if (next < published() && claim(next, next + 1) && startSettling(next)) {
				settle(next, new Unsuccessful.Failure(rejected(ex)));
			}
		}
	}

	/** Whether published items wait for a drainer that may claim them now (no permit awaited). */
	boolean hasClaimableWork() {
		return hasUnclaimedWork() && (this.permits == null || !this.permits.awaitsWakeUp());
	}

	/**
	 * Claims the next published chunk and runs it; false when there is none, or when the stage's
	 * rate limit has no permit for it yet (it is claimed once one is due). Drainer threads.
	 */
	boolean runNextChunk(StageCallSite site) {
		if (this.permits != null) {
			return runNextPermittedItem(site);
		}
		while (true) {
			long start = claimed();
			long end = Math.min(published(), start + this.chunk);
			if (start >= end) {
				return false;
			}
			if (claim(start, end)) {
				runClaimed(start, end, site);
				return true;
			}
		}
	}

	/**
	 * Takes a permit and claims the next item with it, as one step under the gate's lock: a
	 * permit taken for an item another drainer claimed first would be lost to the budget.
	 */
	private boolean runNextPermittedItem(StageCallSite site) {
		long start;
		synchronized (this.permits) {
			start = claimed();
			if (start >= published() || this.permits.awaitsWakeUp() || !permitted() || !claim(start, start + 1)) {
				return false;
			}
		}
		runClaimed(start, start + 1, site);
		return true;
	}

	private void runClaimed(long start, long end, StageCallSite site) {
		this.counters.threadStarted();
		site.stage = this.name;
		try {
			if (this.hasPolicy) {
				runChunkWithPolicy(start, end, site);
			}
			else {
				runChunk(start, end, site);
			}
		}
		finally {
			site.stage = null;
			this.counters.threadEnded();
		}
	}

	private void runChunk(long start, long end, StageCallSite site) {
		int succeeded = 0;
		int dropped = 0;
		int failed = 0;
		long began = System.nanoTime();
		Slots slots = slotsOf(start);
		for (long position = start; position < end && !this.drainers.isCancelled(); position++) {
			if (position == slots.end) {
				slots = slots.newer;
			}
			int slot = (int) (position & slots.mask);
			Object input = slots.items[slot];
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
			settleClaimed(slots, slot, position, output);
		}
		this.counters.finished(succeeded, dropped, failed, System.nanoTime() - began);
		// a parked consumer is woken once per chunk, not per item: a wake-up costs more than a
		// cheap item, and stealing a core from the workers for each of them slows CPU-bound stages
		wakeIfHeadIn(start, end);
	}

	/** As {@link #runChunk}, with the stage's failure policy: retries, skips. */
	private void runChunkWithPolicy(long start, long end, StageCallSite site) {
		long began = System.nanoTime();
		for (long position = start; position < end && !this.drainers.isCancelled(); position++) {
			if (!this.dueRetries.isEmpty()) {
				runDueRetries(site);
			}
			site.index = position;
			callWithPolicy(position, itemAt(position), 1);
		}
		// each item's settle woke the consumer if it waited for it
		this.counters.finished(0, 0, 0, System.nanoTime() - began);
	}

	/**
	 * Calls the stage for one item from attempt {@code firstAttempt} on, retrying as the policy
	 * says, and settles the item's slot; or leaves it to a retry after a delay (which a
	 * stateless stage waits out without holding its thread), or to the call's deadline.
	 */
	private void callWithPolicy(long position, Object input, int firstAttempt) {
		for (int attempt = firstAttempt;; attempt++) {
			// the first attempt took its permit when its item was claimed
			if (attempt > 1 && this.permits != null && !retryPermitted(position, attempt)) {
				return;
			}
			CallDeadline deadline = (this.failures.timeout() != null) ? startDeadline(position, input, attempt) : null;
			Object output = null;
			Throwable failure = null;
			try {
				output = this.stage.apply(input);
			}
			catch (Throwable ex) {
				failure = ex;
			}
			if (deadline != null && !deadline.finishedInTime()) {
				if (!this.dedicated) {
					this.drainers.stuckCallReturned();
				}
				return;
			}
			if (failure == null) {
				if (startSettling(position)) {
					this.counters.finished((output != null) ? 1 : 0, (output != null) ? 0 : 1, 0, 0);
					settle(position, (output != null) ? output : DROPPED);
				}
				return;
			}
			if (!attemptFailed(position, input, this.failures.afterFailure(failure, attempt), true)) {
				return;
			}
		}
	}

	/**
	 * Settles a failed attempt as the policy's verdict says, or starts its retry. Once the run is
	 * cancelled, most likely by the close's own interrupt, it is neither retried nor skipped, as
	 * no consumer is left to hand a dead letter to.
	 * @param onCallingThread whether this is the thread that made the call (else the call's
	 * deadline passed and the thread may still be in it)
	 * @return true when the calling thread should try again now
	 */
	private boolean attemptFailed(long position, Object input, StageFailures.Verdict verdict,
			boolean onCallingThread) {
		boolean cancelled = this.drainers.isCancelled();
		if (!cancelled && verdict.retries()) {
			this.counters.retried();
			long delay = verdict.retryDelayNanos();
			if (!this.dedicated) {
				if (onCallingThread && delay == 0) {
					return true;
				}
				retryAfter(delay, position, verdict.attempt() + 1);
				return false;
			}
			if (StageFailures.waitOnThisThread(delay)) {
				return true;
			}
		}
		else if (!cancelled && verdict.skips()) {
			if (startSettling(position)) {
				this.counters.itemSkipped();
				settle(position, new Unsuccessful.Skipped(input, verdict.failure(), verdict.attempt()));
			}
			return false;
		}
		if (startSettling(position)) {
			this.counters.finished(0, 0, 1, 0);
			settle(position, new Unsuccessful.Failure(verdict.failure()));
		}
		return false;
	}

	/**
	 * Takes the permit of a retry; when none is due yet, a stateless stage launches the retry
	 * once it is, and a stateful stage's own thread waits for it, as it waits out a retry's delay
	 * to keep its order (a close ends the wait, and the item then fails uncounted).
	 */
	private boolean retryPermitted(long position, int attempt) {
		long wait;
		while ((wait = this.permits.tryTake()) != 0) {
			if (!this.dedicated) {
				retryAfter(wait, position, attempt);
				return false;
			}
			if (!StageFailures.waitOnThisThread(wait)) {
				if (startSettling(position)) {
					settle(position, new Unsuccessful.Failure(new InterruptedException()));
				}
				return false;
			}
		}
		return true;
	}

	/**
	 * The deadline of an attempt: at it, the attempt fails with a {@link StageTimeoutException}.
	 * On the shared pool the call's thread, still in the call, counts as stuck until the call
	 * returns, and a rescue drainer may take the stage's other items meanwhile.
	 */
	private CallDeadline startDeadline(long position, Object input, int attempt) {
		Thread caller = Thread.currentThread();
		Runnable stopCall = this.dedicated ? caller::interrupt : () -> {
			this.drainers.callStuck();
			caller.interrupt();
		};
		return CallDeadline.start(this.failures.timeout(), stopCall, () -> {
			if (this.drainers.isCancelled()) {
				// the run was closed with the call under way: it has no outcome left to fix
				return;
			}
			this.counters.timedOut();
			attemptFailed(position, input, this.failures.afterTimeout(attempt), false);
			if (!this.dedicated) {
				this.drainers.rescue(1);
			}
		});
	}

	/** The item's retry is due: it runs on the group's executor, no thread having waited for it. */
	@Override
	void retryDue(long position, int attempt) {
		DueRetry retry = new DueRetry(position, itemAt(position), attempt);
		// a drainer busy with other items of this stage takes it between two of them; the task is
		// for when none is (a retry that waited behind their chunks held up the head)
		this.dueRetries.add(retry);
		try {
			this.drainers.runDetached((site) -> runClaimed(retry, site));
		}
		catch (RejectedExecutionException ex) {
			if (retry.claim() && !this.signals.isClosed() && startSettling(position)) {
				settle(position, new Unsuccessful.Failure(ex));
			}
			return;
		}
		// the task may wait behind stuck calls on every thread of the executor
		this.drainers.rescueIfStuck();
	}

	/** Whether a retry is due that no thread has taken yet. */
	boolean hasDueRetry() {
		return this.dueRetries != null && !this.dueRetries.isEmpty();
	}

	/** Runs the next due retry that no other thread has taken; false when there is none. Rescue drainers. */
	boolean runNextDueRetry(StageCallSite site) {
		DueRetry retry = (this.dueRetries != null) ? this.dueRetries.poll() : null;
		return retry != null && runClaimed(retry, site);
	}

	private boolean runClaimed(DueRetry retry, StageCallSite site) {
		if (!retry.claim()) {
			return false;
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
		return true;
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
	}

	/** An item's next attempt, once its delay has passed: run once, by whoever claims it first. */
	@SuppressWarnings("serial")
	private static final class DueRetry extends AtomicBoolean {

		final long position;

		final Object input;

		final int attempt;

		DueRetry(long position, Object input, int attempt) {
			this.position = position;
			this.input = input;
			this.attempt = attempt;
		}

		boolean claim() {
			// true once claimed
			return compareAndSet(false, true);
		}

	}

}
