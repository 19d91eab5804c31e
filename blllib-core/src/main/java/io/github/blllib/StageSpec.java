package io.github.blllib;

import java.util.List;
import java.util.Objects;

/**
 * A {@link Stage} with its name and scheduling settings. Immutable: {@link #batchSize(int)}
 * and {@link #runInMaster()} return copies.
 *
 * @param <I> the upstream item type (for a window stage, the type of the window's elements)
 * @param <O> output type
 */
public final class StageSpec<I, O> {

	/** Name reserved for the pipeline's input in {@link PipelineException#stage()}. */
	public static final String SOURCE = "source";

	private final String name;

	private final Stage<?, O> stage;

	private final StageKind kind;

	private final int window;

	private final int batchSize;

	private final boolean runInMaster;

	private StageSpec(String name, Stage<?, O> stage, StageKind kind, int window, int batchSize,
			boolean runInMaster) {
		this.name = validName(name);
		this.stage = Objects.requireNonNull(stage, () -> "Stage '" + name + "' must not be null");
		if (kind == StageKind.WINDOW && window < 1) {
			throw new IllegalArgumentException("Stage '" + name + "': window size must be a positive integer, but was "
					+ window);
		}
		if (batchSize < 1) {
			throw new IllegalArgumentException(
					"Stage '" + name + "': batch size must be at least 1, but was " + batchSize);
		}
		this.kind = kind;
		this.window = (kind == StageKind.WINDOW) ? window : 0;
		this.batchSize = batchSize;
		this.runInMaster = runInMaster;
	}

	/** A stage that runs in order on a dedicated thread. */
	public static <I, O> StageSpec<I, O> stateful(String name, Stage<I, O> stage) {
		return new StageSpec<>(name, stage, StageKind.STATEFUL, 0, 1, false);
	}

	/** A thread-safe stage that runs on the shared worker pool. */
	public static <I, O> StageSpec<I, O> stateless(String name, Stage<I, O> stage) {
		return new StageSpec<>(name, stage, StageKind.STATELESS, 0, 1, false);
	}

	/**
	 * A conditionally stateless stage: it receives immutable sliding windows of {@code k}
	 * consecutive upstream items (step 1) and runs on the shared worker pool.
	 */
	public static <I, O> StageSpec<I, O> window(String name, int k, Stage<List<I>, O> stage) {
		return new StageSpec<>(name, stage, StageKind.WINDOW, k, 1, false);
	}

	/**
	 * A stage whose settings come from {@link BlllibStage} on its class, with the defaults
	 * (stateful, batch size 1, not in master) where it has none.
	 */
	public static <I, O> StageSpec<I, O> of(String name, Stage<?, O> stage) {
		Objects.requireNonNull(stage, () -> "Stage '" + name + "' must not be null");
		BlllibStage settings = stage.getClass().getAnnotation(BlllibStage.class);
		if (settings == null) {
			return of(name, stage, "true", 1, false);
		}
		return of(name, stage, settings.stateful(), settings.batchSize(), settings.runInMaster());
	}

	/**
	 * A stage with settings given as the seed spells them: {@code stateful} is
	 * {@code "true"}, {@code "false"} or a positive integer window size.
	 * @throws IllegalArgumentException naming the stage and the value when a setting is
	 * invalid
	 */
	public static <I, O> StageSpec<I, O> of(String name, Stage<?, O> stage, String stateful, int batchSize,
			boolean runInMaster) {
		String value = (stateful != null) ? stateful.trim() : null;
		StageKind kind = parseKind(name, value);
		int window = (kind == StageKind.WINDOW) ? Integer.parseInt(value) : 0;
		return new StageSpec<>(name, stage, kind, window, batchSize, runInMaster);
	}

	/**
	 * Checks a {@code stateful} value: {@code "true"}, {@code "false"} or a positive integer.
	 * @return the kind of stage it declares
	 * @throws IllegalArgumentException naming the stage and the value otherwise
	 */
	public static StageKind parseKind(String stageName, String stateful) {
		if ("true".equalsIgnoreCase(stateful)) {
			return StageKind.STATEFUL;
		}
		if ("false".equalsIgnoreCase(stateful)) {
			return StageKind.STATELESS;
		}
		try {
			if (stateful != null && Integer.parseInt(stateful) >= 1) {
				return StageKind.WINDOW;
			}
		}
		catch (NumberFormatException ex) {
			// reported below with the allowed values
		}
		throw new IllegalArgumentException("Stage '" + stageName + "': stateful must be 'true', 'false' or a "
				+ "positive integer window size, but was '" + stateful + "'");
	}

	/** A copy with at most {@code n} inputs (or windows) in flight. */
	public StageSpec<I, O> batchSize(int n) {
		return new StageSpec<>(this.name, this.stage, this.kind, this.window, n, this.runInMaster);
	}

	/** A copy that runs on the consuming thread; its batch size is then ignored. */
	public StageSpec<I, O> runInMaster() {
		return runInMaster(true);
	}

	/** A copy that runs, or does not run, on the consuming thread. */
	public StageSpec<I, O> runInMaster(boolean inMaster) {
		return new StageSpec<>(this.name, this.stage, this.kind, this.window, this.batchSize, inMaster);
	}

	public String name() {
		return this.name;
	}

	public Stage<?, O> stage() {
		return this.stage;
	}

	public StageKind kind() {
		return this.kind;
	}

	/** The window size {@code k} of a {@link StageKind#WINDOW} stage, 0 otherwise. */
	public int window() {
		return this.window;
	}

	public int batchSize() {
		return this.batchSize;
	}

	public boolean isRunInMaster() {
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
	public String toString() {
		return "StageSpec[" + this.name + ", stateful=" + stateful() + ", batchSize=" + this.batchSize
				+ ", runInMaster=" + this.runInMaster + "]";
	}

	private static String validName(String name) {
		if (name == null || name.isBlank()) {
			throw new IllegalArgumentException("Stage name must not be empty");
		}
		return name;
	}

}
