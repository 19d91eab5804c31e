package io.github.blllib;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * At most {@link #permits()} calls start in any interval of length {@link #period()}: a sliding
 * window, so a burst is never more than {@code permits}, even across a window's edge. One
 * instance is one budget: every stage given the same instance (in any pipeline) shares it, as
 * calls to one remote API should. Set it with {@link StageSpec#rateLimit(RateLimit)}; a call whose
 * permit is not yet due starts when it is, and no thread blocks waiting for it meanwhile.
 *
 * <p>The budget is kept as a log of the start times within the last period, so it holds at most
 * as many entries as calls started in one period. A deserialized copy (a stage shipped to a
 * Flink task manager) is a budget of its own, with the same permits and period.
 */
public final class RateLimit implements Serializable {

	@Serial
	private static final long serialVersionUID = 1L;

	private static final String PERMITS_ALLOWED = "an integer of at least 1";

	private static final String PERIOD_ALLOWED = "a positive duration, " + DurationLimit.LONGEST_IN_WORDS;

	private final int permits;

	private final Duration period;

	private final long periodNanos;

	private final transient LongSupplier clock;

	// guarded by this: the start times of the last period, oldest first, in a circular buffer
	private transient long[] starts = new long[1];

	private int oldest;

	private int count;

	private RateLimit(int permits, Duration period, LongSupplier clock) {
		this.permits = permits;
		this.period = period;
		this.periodNanos = period.toNanos();
		this.clock = clock;
	}

	/**
	 * A budget of {@code permits} call starts in any interval of length {@code period}.
	 * @throws InvalidStageSettingException naming the setting ({@link InvalidStageSettingException#RATE_LIMIT_PERMITS}
	 * or {@link InvalidStageSettingException#RATE_LIMIT_PERIOD}) and the allowed values
	 */
	public static RateLimit of(int permits, Duration period) {
		return of(permits, period, System::nanoTime);
	}

	/** As {@link #of(int, Duration)}, reading the time from {@code clock} (nanoseconds). */
	static RateLimit of(int permits, Duration period, LongSupplier clock) {
		if (permits < 1) {
			throw new InvalidStageSettingException(null, InvalidStageSettingException.RATE_LIMIT_PERMITS, permits,
					PERMITS_ALLOWED);
		}
		if (period == null || period.isNegative() || period.isZero() || DurationLimit.exceeds(period)) {
			throw new InvalidStageSettingException(null, InvalidStageSettingException.RATE_LIMIT_PERIOD, period,
					PERIOD_ALLOWED);
		}
		return new RateLimit(permits, period, Objects.requireNonNull(clock));
	}

	/** Most calls that start in any interval of length {@link #period()}. */
	public int permits() {
		return this.permits;
	}

	public Duration period() {
		return this.period;
	}

	/**
	 * Waits on the calling thread until a call may start, and takes its permit: for calls made
	 * outside a pipeline that share the budget (a pipeline's stages never block for a permit).
	 * @throws InterruptedException when the thread is interrupted while it waits
	 */
	public void acquire() throws InterruptedException {
		long wait;
		while ((wait = tryAcquire()) != 0) {
			TimeUnit.NANOSECONDS.sleep(wait);
		}
	}

	/**
	 * Takes a permit for a call that starts now, or says how long until one is due (then none
	 * is taken: the caller asks again then, and may find it taken by a sharer of the budget).
	 * @return 0 when a permit was taken, else the nanoseconds until one is due
	 */
	synchronized long tryAcquire() {
		long now = this.clock.getAsLong();
		while (this.count > 0 && now - this.starts[this.oldest] >= this.periodNanos) {
			this.oldest = next(this.oldest);
			this.count--;
		}
		if (this.count == this.permits) {
			return this.periodNanos - (now - this.starts[this.oldest]);
		}
		if (this.count == this.starts.length) {
			grow();
		}
		this.starts[(int) ((this.oldest + (long) this.count) % this.starts.length)] = now;
		this.count++;
		return 0;
	}

	private int next(int index) {
		return (index + 1 == this.starts.length) ? 0 : index + 1;
	}

	private void grow() {
		long[] grown = new long[(int) Math.min(this.permits, 2L * this.starts.length)];
		for (int i = 0; i < this.count; i++) {
			grown[i] = this.starts[(this.oldest + i) % this.starts.length];
		}
		this.starts = grown;
		this.oldest = 0;
	}

	/**
	 * Whether {@code other} allows the same permits per period. Whether two stages share a budget
	 * is whether they were given the same instance.
	 */
	@Override
	public boolean equals(Object other) {
		return other instanceof RateLimit that && this.permits == that.permits && this.period.equals(that.period);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.permits, this.period);
	}

	/** A fresh budget with the same permits and period: budgets are not shared across JVMs. */
	@Serial
	private Object readResolve() {
		return of(this.permits, this.period);
	}

	@Override
	public String toString() {
		return this.permits + " per " + this.period;
	}

}
