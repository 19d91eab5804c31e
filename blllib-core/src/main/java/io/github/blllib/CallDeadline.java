package io.github.blllib;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The deadline of one stage call: whichever comes first, the call's end or the deadline, fixes
 * the item's outcome. At the deadline the call is stopped (the calling thread interrupted, or an
 * async call's future cancelled) and {@code onExpiry} runs on the JDK's async pool, even if the
 * call goes on ignoring that. A call that ends in time takes its deadline off the JDK's delay
 * scheduler, so that only calls that time out cost a task: pending deadlines follow the calls
 * in flight, and a fast stage with a long timeout starts no thread per call.
 */
final class CallDeadline {

	private static final int RUNNING = 0;

	private static final int FINISHED = 1;

	private static final int EXPIRING = 2;

	private static final int EXPIRED = 3;

	private final Runnable stopCall;

	private final Runnable onExpiry;

	private final AtomicInteger state = new AtomicInteger(RUNNING);

	/** Completed when the call ends in time, which cancels the scheduled expiry. */
	private final CompletableFuture<Void> timer = new CompletableFuture<>();

	private CallDeadline(Runnable stopCall, Runnable onExpiry) {
		this.stopCall = stopCall;
		this.onExpiry = onExpiry;
	}

	/** Starts the deadline of a call the current thread is about to make. */
	static CallDeadline start(Duration timeout, Runnable onExpiry) {
		return start(timeout, Thread.currentThread()::interrupt, onExpiry);
	}

	/**
	 * Starts the deadline of a call that is stopped by {@code stopCall}: the calling thread's
	 * interrupt, its end reported by {@link #finishedInTime()}, or an async call's cancel, which
	 * may end the call on the spot, its end reported by {@link #endedInTime()}.
	 */
	static CallDeadline start(Duration timeout, Runnable stopCall, Runnable onExpiry) {
		CallDeadline deadline = new CallDeadline(stopCall, onExpiry);
		// off the delay scheduler's one thread, which must not run stage code; dispatched only at
		// the deadline (exceptionallyAsync would dispatch a task for every call that ends in time)
		deadline.timer.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS).whenComplete((ignored, timedOut) -> {
			if (timedOut != null) {
				CompletableFuture.runAsync(deadline::expire);
			}
		});
		return deadline;
	}

	/**
	 * An async call ended: true when it ended in time, so that its own outcome counts. Never
	 * waits, so that the end may be reported from inside {@code stopCall}.
	 */
	boolean endedInTime() {
		if (this.state.compareAndSet(RUNNING, FINISHED)) {
			this.timer.complete(null);
			return true;
		}
		return false;
	}

	/**
	 * The call ended: true when it ended in time, so that its own outcome counts. When the
	 * deadline came first, waits until its interrupt has been delivered and clears it, so that
	 * it cannot reach the thread's next call.
	 */
	boolean finishedInTime() {
		if (this.state.compareAndSet(RUNNING, FINISHED)) {
			this.timer.complete(null);
			return true;
		}
		while (this.state.get() != EXPIRED) {
			Thread.onSpinWait();
		}
		Thread.interrupted();
		return false;
	}

	private void expire() {
		if (this.state.compareAndSet(RUNNING, EXPIRING)) {
			this.stopCall.run();
			this.state.set(EXPIRED);
			this.onExpiry.run();
		}
	}

}
