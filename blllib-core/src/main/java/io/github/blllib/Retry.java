package io.github.blllib;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * How a stage retries a failed call, in the words of Spring Framework 7's {@code RetryPolicy}:
 * at most {@link #maxRetries(int) n} further attempts after the first, the first after
 * {@link #delay(Duration)}, each later one {@link #multiplier(double)} times longer, capped at
 * {@link #maxDelay(Duration)}; only for the exception types it {@link #includes includes} (every
 * {@link Exception} by default) and not for those it {@link #excludes excludes}. An
 * {@link Error} is never retried. Immutable: every method returns a copy. Serializable, so that a
 * stage's policy can travel with it to another JVM (a Flink task manager).
 */
public final class Retry implements Serializable {

	private static final long serialVersionUID = 1L;

	private final int maxRetries;

	private final Duration delay;

	private final double multiplier;

	private final Duration maxDelay;

	private final List<Class<? extends Throwable>> includes;

	private final List<Class<? extends Throwable>> excludes;

	private Retry(int maxRetries, Duration delay, double multiplier, Duration maxDelay,
			List<Class<? extends Throwable>> includes, List<Class<? extends Throwable>> excludes) {
		this.maxRetries = maxRetries;
		this.delay = delay;
		this.multiplier = multiplier;
		this.maxDelay = maxDelay;
		this.includes = includes;
		this.excludes = excludes;
	}

	/**
	 * At most {@code n} further attempts after the first, at once unless a {@link #delay} is set.
	 * @throws InvalidStageSettingException when {@code n} is negative
	 */
	public static Retry maxRetries(int n) {
		if (n < 0) {
			throw new InvalidStageSettingException(null, InvalidStageSettingException.RETRY_MAX_RETRIES, n,
					"an integer of zero or more");
		}
		return new Retry(n, Duration.ZERO, 1, null, List.of(Exception.class), List.of());
	}

	/** A copy that waits {@code d} (zero to {@value DurationLimit#LONGEST_IN_WORDS}) before the first retry. */
	public Retry delay(Duration d) {
		return new Retry(this.maxRetries, nonNegative(InvalidStageSettingException.RETRY_DELAY, d), this.multiplier, this.maxDelay, this.includes,
				this.excludes);
	}

	/** A copy whose every later delay is the one before times {@code m} (at least 1). */
	public Retry multiplier(double m) {
		if (!(m >= 1) || Double.isInfinite(m)) {
			throw new InvalidStageSettingException(null, InvalidStageSettingException.RETRY_MULTIPLIER, m,
					"a finite number of at least 1, such as 1.5 or 2");
		}
		return new Retry(this.maxRetries, this.delay, m, this.maxDelay, this.includes, this.excludes);
	}

	/** A copy whose delays never exceed {@code d} (zero to {@value DurationLimit#LONGEST_IN_WORDS}). */
	public Retry maxDelay(Duration d) {
		return new Retry(this.maxRetries, this.delay, this.multiplier, nonNegative(InvalidStageSettingException.RETRY_MAX_DELAY, d), this.includes,
				this.excludes);
	}

	/** A copy that retries only failures of these types (and their subtypes). */
	@SafeVarargs
	public final Retry includes(Class<? extends Throwable>... types) {
		return new Retry(this.maxRetries, this.delay, this.multiplier, this.maxDelay, types(InvalidStageSettingException.RETRY_INCLUDES, types),
				this.excludes);
	}

	/** A copy that never retries failures of these types (and their subtypes). */
	@SafeVarargs
	public final Retry excludes(Class<? extends Throwable>... types) {
		return new Retry(this.maxRetries, this.delay, this.multiplier, this.maxDelay, this.includes,
				types(InvalidStageSettingException.RETRY_EXCLUDES, types));
	}

	public int maxRetries() {
		return this.maxRetries;
	}

	/** Whether a call that failed with {@code failure} on attempt {@code attempt} (1 = first) is tried again. */
	public boolean retries(Throwable failure, int attempt) {
		if (failure instanceof Error || attempt > this.maxRetries) {
			return false;
		}
		return matches(this.includes, failure) && !matches(this.excludes, failure);
	}

	/**
	 * The wait before retry number {@code retry} (1 = the first retry); a delay the multiplier
	 * grows past {@link DurationLimit#LONGEST} stays there.
	 */
	public Duration delayBefore(int retry) {
		double nanos = this.delay.toNanos() * Math.pow(this.multiplier, retry - 1);
		long longest = (this.maxDelay != null) ? this.maxDelay.toNanos() : DurationLimit.LONGEST.toNanos();
		return Duration.ofNanos((nanos >= longest) ? longest : (long) nanos);
	}

	@Override
	public String toString() {
		return "Retry[maxRetries=" + this.maxRetries + ", delay=" + this.delay + ", multiplier=" + this.multiplier
				+ ", maxDelay=" + this.maxDelay + ", includes=" + this.includes + ", excludes=" + this.excludes + "]";
	}

	private static boolean matches(List<Class<? extends Throwable>> types, Throwable failure) {
		return types.stream().anyMatch((type) -> type.isInstance(failure));
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof Retry that && this.maxRetries == that.maxRetries && this.delay.equals(that.delay)
				&& Double.compare(this.multiplier, that.multiplier) == 0 && Objects.equals(this.maxDelay, that.maxDelay)
				&& this.includes.equals(that.includes) && this.excludes.equals(that.excludes);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.maxRetries, this.delay, this.multiplier, this.maxDelay, this.includes, this.excludes);
	}

	private static Duration nonNegative(String setting, Duration d) {
		Objects.requireNonNull(d, () -> setting + " must not be null");
		if (d.isNegative() || DurationLimit.exceeds(d)) {
			throw new InvalidStageSettingException(null, setting, d,
					"a duration of zero or more, such as 100ms or 1s, and " + DurationLimit.LONGEST_IN_WORDS);
		}
		return d;
	}

	private static List<Class<? extends Throwable>> types(String setting, Class<? extends Throwable>[] types) {
		Objects.requireNonNull(types, () -> setting + " must not be null");
		List<Class<? extends Throwable>> list = new ArrayList<>(Arrays.asList(types));
		for (Class<?> type : list) {
			if (type == null || !Throwable.class.isAssignableFrom(type)) {
				throw new InvalidStageSettingException(null, setting, (type != null) ? type.getName() : null,
						"exception classes (subclasses of java.lang.Throwable)");
			}
		}
		return List.copyOf(list);
	}

}
