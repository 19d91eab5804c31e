package io.github.blllib;

import java.io.Serializable;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;

/**
 * Every setting of a stage: the seed's three (how it is scheduled: {@code stateful}, batch size,
 * run in master) and what it does when a call fails (retry, skip, skip limit, timeout).
 * Immutable and serializable; parsed and checked once, by {@link #of} and {@link Builder}, the
 * one place that holds the rules. Copies ({@link #toBuilder}) never parse again.
 */
public final class StageSettings implements Serializable {

	private static final long serialVersionUID = 1L;

	private static final String STATEFUL_ALLOWED = "'true', 'false' or a positive integer window size (1, 2, 3, ...)";

	private static final String BATCH_SIZE_ALLOWED = "an integer of at least 1";

	private static final String SKIP_LIMIT_ALLOWED = "an integer of zero or more";

	private static final String TIMEOUT_ALLOWED = "a positive duration, such as 500ms or 2s, " + DurationLimit.LONGEST_IN_WORDS;

	private static final String TIMEOUT_IN_MASTER_ALLOWED = "none on a stage that runs in master: the consuming thread "
			+ "cannot be left at a deadline (remove the timeout or run the stage off the consuming thread)";

	private static final String ASYNC_RUN_IN_MASTER_ALLOWED = "false for an async stage (it waits for its futures "
			+ "without holding the consuming thread; in a sequential pipeline it has one call outstanding at a time)";

	private static final StageSettings DEFAULTS = new StageSettings(StageKind.STATEFUL, 0, 1, false, null, false,
			Long.MAX_VALUE, null, null);

	private final StageKind kind;

	private final int window;

	private final int batchSize;

	private final boolean runInMaster;

	private final Retry retry;

	private final boolean skipFailures;

	private final long skipLimit;

	private final Duration timeout;

	/** The budget of call starts, shared with every stage given the same instance; null for none. */
	private final RateLimit rateLimit;

	private StageSettings(StageKind kind, int window, int batchSize, boolean runInMaster, Retry retry,
			boolean skipFailures, long skipLimit, Duration timeout, RateLimit rateLimit) {
		this.kind = kind;
		this.window = window;
		this.batchSize = batchSize;
		this.runInMaster = runInMaster;
		this.retry = retry;
		this.skipFailures = skipFailures;
		this.skipLimit = skipLimit;
		this.timeout = timeout;
		this.rateLimit = rateLimit;
	}

	/**
	 * Settings as the seed spells them, with the default failure handling (none).
	 * @param stageName the stage they belong to, for the message of a bad value
	 * @param stateful {@code "true"}, {@code "false"} (either in any case) or a positive integer
	 * window size, surrounding blanks ignored
	 * @param batchSize most inputs (or windows) in flight, at least 1
	 * @param runInMaster whether the stage runs on the thread that consumes the output
	 * @throws InvalidStageSettingException naming the stage, the setting, the value and the
	 * allowed values; {@code stateful} is checked first
	 */
	public static StageSettings of(String stageName, String stateful, int batchSize, boolean runInMaster) {
		return builder(stageName).stateful(stateful).batchSize(batchSize).runInMaster(runInMaster).build();
	}

	/**
	 * A builder starting from the defaults (stateful, batch size 1, not in master, no retry, no
	 * skip, no skip limit, no timeout).
	 * @param stageName the stage the settings belong to, for the message of a bad value
	 */
	public static Builder builder(String stageName) {
		return DEFAULTS.toBuilder(stageName);
	}

	/** A builder starting from these settings, for a copy that changes some of them. */
	public Builder toBuilder(String stageName) {
		return new Builder(stageName, this);
	}

	/**
	 * The seed's default number of worker threads for stages with these settings:
	 * {@code max(1, N - K)} with {@code N} the available processors and {@code K} the stages
	 * that {@linkplain #needsDedicatedThread() take a dedicated thread}. For sizing a worker pool
	 * shared by several pipelines, count their stages together; leave out async stages.
	 */
	public static int defaultNCpu(Collection<StageSettings> stages) {
		long dedicated = stages.stream().filter(StageSettings::needsDedicatedThread).count();
		return (int) Math.max(1, Runtime.getRuntime().availableProcessors() - dedicated);
	}

	/**
	 * These settings, checked for an {@link AsyncStage}, which never runs in master. Its
	 * {@code stateful} value is kept as given: {@code true} and {@code false} schedule it alike,
	 * since its {@code apply} is always called in input order on the consuming thread.
	 * @throws InvalidStageSettingException when the settings run it in master
	 */
	public StageSettings checkedForAsync(String stageName) {
		if (this.runInMaster) {
			throw new InvalidStageSettingException(stageName, InvalidStageSettingException.RUN_IN_MASTER, true,
					ASYNC_RUN_IN_MASTER_ALLOWED);
		}
		return this;
	}

	/** The kind, or {@code null} when {@code stateful} is neither a boolean nor a positive integer. */
	private static StageKind parseKind(String stateful) {
		if ("true".equalsIgnoreCase(stateful)) {
			return StageKind.STATEFUL;
		}
		if ("false".equalsIgnoreCase(stateful)) {
			return StageKind.STATELESS;
		}
		try {
			return (stateful != null && Integer.parseInt(stateful) >= 1) ? StageKind.WINDOW : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	public StageKind kind() {
		return this.kind;
	}

	/** The window size {@code k} of a {@link StageKind#WINDOW} stage, 0 otherwise. */
	public int window() {
		return this.window;
	}

	/** Most inputs (or windows) in flight; ignored when the stage runs in master. */
	public int batchSize() {
		return this.batchSize;
	}

	/** Whether the stage runs on the thread that consumes the pipeline's output. */
	public boolean runInMaster() {
		return this.runInMaster;
	}

	/** How a failed call is retried, or null for no retry. */
	public Retry retry() {
		return this.retry;
	}

	/** Whether an item that still fails after its retries is skipped rather than failing the run. */
	public boolean skipFailures() {
		return this.skipFailures;
	}

	/** Most items skipped in one run before it fails ({@link Long#MAX_VALUE}: no limit). */
	public long skipLimit() {
		return this.skipLimit;
	}

	/** Longest call, or null for no limit. */
	public Duration timeout() {
		return this.timeout;
	}

	/** How fast calls may start, or null for no limit. */
	public RateLimit rateLimit() {
		return this.rateLimit;
	}

	/**
	 * Whether a {@link Stage} with these settings takes a dedicated thread: stateful and not run
	 * in master. An {@link AsyncStage} never does.
	 */
	public boolean needsDedicatedThread() {
		return this.kind == StageKind.STATEFUL && !this.runInMaster;
	}

	/** The setting as the seed spells it: "true", "false" or the window size. */
	public String stateful() {
		return switch (this.kind) {
			case STATEFUL -> "true";
			case STATELESS -> "false";
			case WINDOW -> Integer.toString(this.window);
		};
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof StageSettings that && this.kind == that.kind && this.window == that.window
				&& this.batchSize == that.batchSize && this.runInMaster == that.runInMaster
				&& Objects.equals(this.retry, that.retry) && this.skipFailures == that.skipFailures
				&& this.skipLimit == that.skipLimit && Objects.equals(this.timeout, that.timeout)
				&& Objects.equals(this.rateLimit, that.rateLimit);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.kind, this.window, this.batchSize, this.runInMaster, this.retry, this.skipFailures,
				this.skipLimit, this.timeout, this.rateLimit);
	}

	/** The seed's three settings, then those of the failure handling that are set. */
	@Override
	public String toString() {
		StringBuilder text = new StringBuilder("stateful=" + stateful() + ", batchSize=" + this.batchSize
				+ ", runInMaster=" + this.runInMaster);
		if (this.retry != null) {
			text.append(", retry=").append(this.retry);
		}
		if (this.skipFailures) {
			text.append(", skipFailures=true");
		}
		if (this.skipLimit != Long.MAX_VALUE) {
			text.append(", skipLimit=").append(this.skipLimit);
		}
		if (this.timeout != null) {
			text.append(", timeout=").append(this.timeout);
		}
		if (this.rateLimit != null) {
			text.append(", rateLimit=").append(this.rateLimit);
		}
		return text.toString();
	}

	/**
	 * Builds {@link StageSettings}. Each setter checks its value at once; {@link #build()} checks
	 * the settings together. A bad value is an {@link InvalidStageSettingException} naming the
	 * stage given to {@link StageSettings#builder(String)}.
	 */
	public static final class Builder {

		private final String stageName;

		private StageKind kind;

		private int window;

		private int batchSize;

		private boolean runInMaster;

		private Retry retry;

		private boolean skipFailures;

		private long skipLimit;

		private Duration timeout;

		private RateLimit rateLimit;

		private Builder(String stageName, StageSettings from) {
			this.stageName = stageName;
			this.kind = from.kind;
			this.window = from.window;
			this.batchSize = from.batchSize;
			this.runInMaster = from.runInMaster;
			this.retry = from.retry;
			this.skipFailures = from.skipFailures;
			this.skipLimit = from.skipLimit;
			this.timeout = from.timeout;
			this.rateLimit = from.rateLimit;
		}

		/** {@code "true"}, {@code "false"} (either in any case) or a positive integer window size. */
		public Builder stateful(String stateful) {
			String value = (stateful != null) ? stateful.trim() : null;
			StageKind parsed = parseKind(value);
			if (parsed == null) {
				throw invalid(InvalidStageSettingException.STATEFUL, value, STATEFUL_ALLOWED);
			}
			this.kind = parsed;
			this.window = (parsed == StageKind.WINDOW) ? Integer.parseInt(value) : 0;
			return this;
		}

		/** A window stage of windows of {@code k} items. */
		public Builder window(int k) {
			return stateful(Integer.toString(k));
		}

		/** Most inputs (or windows) in flight, at least 1. */
		public Builder batchSize(int batchSize) {
			if (batchSize < 1) {
				throw invalid(InvalidStageSettingException.BATCH_SIZE, batchSize, BATCH_SIZE_ALLOWED);
			}
			this.batchSize = batchSize;
			return this;
		}

		public Builder runInMaster(boolean runInMaster) {
			this.runInMaster = runInMaster;
			return this;
		}

		/** How a failed call is retried; null for no retry. */
		public Builder retry(Retry retry) {
			this.retry = retry;
			return this;
		}

		public Builder skipFailures(boolean skipFailures) {
			this.skipFailures = skipFailures;
			return this;
		}

		/** Most items skipped in one run before it fails, at least 0. */
		public Builder skipLimit(long skipLimit) {
			if (skipLimit < 0) {
				throw invalid(InvalidStageSettingException.SKIP_LIMIT, skipLimit, SKIP_LIMIT_ALLOWED);
			}
			this.skipLimit = skipLimit;
			return this;
		}

		/** Longest call, positive; null for no limit. */
		public Builder timeout(Duration timeout) {
			if (timeout != null && (timeout.isNegative() || timeout.isZero() || DurationLimit.exceeds(timeout))) {
				throw invalid(InvalidStageSettingException.TIMEOUT, timeout, TIMEOUT_ALLOWED);
			}
			this.timeout = timeout;
			return this;
		}

		/** How fast calls may start (one budget per instance); null for no limit. */
		public Builder rateLimit(RateLimit rateLimit) {
			this.rateLimit = rateLimit;
			return this;
		}

		/**
		 * The settings.
		 * @throws InvalidStageSettingException when a stage run in master has a timeout
		 */
		public StageSettings build() {
			if (this.runInMaster && this.timeout != null) {
				throw invalid(InvalidStageSettingException.TIMEOUT, this.timeout, TIMEOUT_IN_MASTER_ALLOWED);
			}
			return new StageSettings(this.kind, this.window, this.batchSize, this.runInMaster, this.retry,
					this.skipFailures, this.skipLimit, this.timeout, this.rateLimit);
		}

		private InvalidStageSettingException invalid(String setting, Object value, String allowedValues) {
			return new InvalidStageSettingException(this.stageName, setting, value, allowedValues);
		}

	}

}
