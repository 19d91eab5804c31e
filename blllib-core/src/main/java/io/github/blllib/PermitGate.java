package io.github.blllib;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A stage's way to its {@link RateLimit} in one run, the one place where its calls take permits:
 * whoever starts a call asks {@link #tryTake()} just before it. A node that is refused launches
 * what waits once the permit is due ({@link #scheduleWakeUp()}, a delayed task of its ring), so
 * no thread waits meanwhile; the consuming thread of an in-master stage parks for it
 * ({@link #awaitOnConsumer}). Books how long calls waited.
 */
final class PermitGate {

	private static final long NOT_WAITING = Long.MIN_VALUE;

	private final RateLimit limit;

	private final StageCounters counters;

	/** When the stage's next call was first refused a permit, or {@link #NOT_WAITING}. */
	private final AtomicLong waitingSince = new AtomicLong(NOT_WAITING);

	/** Whether a wake-up is scheduled for when a permit is due; calls wait for it meanwhile. */
	private final AtomicBoolean wakeUpScheduled = new AtomicBoolean();

	private PermitGate(RateLimit limit, StageCounters counters) {
		this.limit = limit;
		this.counters = counters;
	}

	/** The gate of {@code spec}'s rate limit, or null when it has none. */
	static PermitGate of(StageSpec<?, ?> spec, StageCounters counters) {
		return (spec.settings().rateLimit() != null) ? new PermitGate(spec.settings().rateLimit(), counters) : null;
	}

	/**
	 * Takes a permit for a call that starts now. Any thread.
	 * @return 0 when it took one, else the nanoseconds until one is due
	 */
	long tryTake() {
		long wait = this.limit.tryAcquire();
		long now = System.nanoTime();
		if (wait == 0) {
			long since = (this.waitingSince.get() != NOT_WAITING) ? this.waitingSince.getAndSet(NOT_WAITING)
					: NOT_WAITING;
			this.counters.permitTaken((since != NOT_WAITING) ? now - since : 0);
		}
		else {
			this.waitingSince.compareAndSet(NOT_WAITING, now);
		}
		return wait;
	}

	/** Whether the caller, refused a permit, is the one to schedule the wake-up (none is yet). */
	boolean scheduleWakeUp() {
		return this.wakeUpScheduled.compareAndSet(false, true);
	}

	/** The scheduled wake-up came: calls may ask again. */
	void wokeUp() {
		this.wakeUpScheduled.set(false);
	}

	/** Whether calls wait for a scheduled wake-up. */
	boolean awaitsWakeUp() {
		return this.wakeUpScheduled.get();
	}

	/**
	 * Takes a permit on the consuming thread, parked until one is due (the run's close wakes it).
	 * @return false when the run closed first
	 * @throws InterruptedException when the consuming thread is interrupted meanwhile
	 */
	boolean awaitOnConsumer(RunState signals) throws InterruptedException {
		long wait;
		while ((wait = tryTake()) != 0) {
			signals.consumerWaits();
			try {
				if (signals.isClosed()) {
					return false;
				}
				LockSupport.parkNanos(this, wait);
			}
			finally {
				signals.consumerAwake();
			}
			if (signals.isClosed()) {
				return false;
			}
			if (Thread.interrupted()) {
				throw new InterruptedException("interrupted while waiting for a permit of rate limit " + this.limit);
			}
		}
		return true;
	}

}
