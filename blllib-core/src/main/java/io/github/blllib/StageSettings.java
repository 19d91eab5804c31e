package io.github.blllib;

import java.util.Collection;
import java.util.Objects;

/**
 * How a stage is scheduled, the seed's three "callable-specific metrics": {@code stateful},
 * batch size and run in master. Immutable; {@link #of} is the one place where settings are
 * parsed and checked.
 */
public final class StageSettings {

	private static final String STATEFUL_ALLOWED = "'true', 'false' or a positive integer window size (1, 2, 3, ...)";

	private static final String BATCH_SIZE_ALLOWED = "an integer of at least 1";

	private final StageKind kind;

	private final int window;

	private final int batchSize;

	private final boolean runInMaster;

	private StageSettings(StageKind kind, int window, int batchSize, boolean runInMaster) {
		this.kind = kind;
		this.window = window;
		this.batchSize = batchSize;
		this.runInMaster = runInMaster;
	}

	/**
	 * Settings as the seed spells them.
	 * @param stageName the stage they belong to, for the message of a bad value
	 * @param stateful {@code "true"}, {@code "false"} (either in any case) or a positive integer
	 * window size, surrounding blanks ignored
	 * @param batchSize most inputs (or windows) in flight, at least 1
	 * @param runInMaster whether the stage runs on the thread that consumes the output
	 * @throws InvalidStageSettingException naming the stage, the setting, the value and the
	 * allowed values; {@code stateful} is checked first
	 */
	public static StageSettings of(String stageName, String stateful, int batchSize, boolean runInMaster) {
		String value = (stateful != null) ? stateful.trim() : null;
		StageKind kind = parseKind(value);
		if (kind == null) {
			throw new InvalidStageSettingException(stageName, InvalidStageSettingException.STATEFUL, value,
					STATEFUL_ALLOWED);
		}
		if (batchSize < 1) {
			throw new InvalidStageSettingException(stageName, InvalidStageSettingException.BATCH_SIZE, batchSize,
					BATCH_SIZE_ALLOWED);
		}
		int window = (kind == StageKind.WINDOW) ? Integer.parseInt(value) : 0;
		return new StageSettings(kind, window, batchSize, runInMaster);
	}

	/**
	 * The seed's default number of worker threads for stages with these settings:
	 * {@code max(1, N - K)} with {@code N} the available processors and {@code K} the stages
	 * that {@linkplain #needsDedicatedThread() take a dedicated thread}. For sizing a worker pool
	 * shared by several pipelines, count their stages together.
	 */
	public static int defaultNCpu(Collection<StageSettings> stages) {
		long dedicated = stages.stream().filter(StageSettings::needsDedicatedThread).count();
		return (int) Math.max(1, Runtime.getRuntime().availableProcessors() - dedicated);
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

	/** Whether the stage takes a dedicated thread: stateful and not run in master. */
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
				&& this.batchSize == that.batchSize && this.runInMaster == that.runInMaster;
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.kind, this.window, this.batchSize, this.runInMaster);
	}

	@Override
	public String toString() {
		return "stateful=" + stateful() + ", batchSize=" + this.batchSize + ", runInMaster=" + this.runInMaster;
	}

}
