package io.github.blllib;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A {@link Stage} (or an {@link AsyncStage}) with its name and scheduling settings. Immutable:
 * {@link #batchSize(int)} and {@link #runInMaster()} return copies.
 *
 * @param <I> the upstream item type (for a window stage, the type of the window's elements)
 * @param <O> output type
 */
public final class StageSpec<I, O> {

	/** Name reserved for the pipeline's input in {@link PipelineException#stage()}. */
	public static final String SOURCE = "source";

	private static final String ASYNC_RUN_IN_MASTER_ALLOWED = "false for an async stage (it waits for its futures "
			+ "without holding the consuming thread; in a sequential pipeline it has one call outstanding at a time)";

	private final String name;

	/** The stage, or null for an async stage. */
	private final Stage<?, O> stage;

	/** The async stage, or null. */
	private final AsyncStage<?, O> asyncStage;

	private final StageSettings settings;

	private final FailurePolicy failurePolicy;

	private StageSpec(String name, Stage<?, O> stage, AsyncStage<?, O> asyncStage, StageSettings settings,
			FailurePolicy failurePolicy) {
		this.name = validName(name);
		if (stage == null && asyncStage == null) {
			throw new NullPointerException("Stage '" + name + "' must not be null");
		}
		this.stage = stage;
		this.asyncStage = asyncStage;
		this.settings = Objects.requireNonNull(settings, () -> "Settings of stage '" + name + "' must not be null");
		if (asyncStage != null && settings.runInMaster()) {
			throw new InvalidStageSettingException(name, InvalidStageSettingException.RUN_IN_MASTER, true,
					ASYNC_RUN_IN_MASTER_ALLOWED);
		}
		this.failurePolicy = failurePolicy;
	}

	/**
	 * A stage that runs in order on a dedicated thread. Its instance runs in one open run at a
	 * time, whichever pipelines share it, when it can hold state (its class or a superclass has an
	 * instance field): the guard sees the stage object, not what it captures or wraps, so a new
	 * wrapper per pipeline around one shared object (such as {@code acc::add}) is not caught.
	 */
	public static <I, O> StageSpec<I, O> stateful(String name, Stage<I, O> stage) {
		return of(name, stage, "true", 1, false);
	}

	/** A thread-safe stage that runs on the shared worker pool. */
	public static <I, O> StageSpec<I, O> stateless(String name, Stage<I, O> stage) {
		return of(name, stage, "false", 1, false);
	}

	/**
	 * A conditionally stateless stage: it receives immutable sliding windows of {@code k}
	 * consecutive upstream items (step 1) and runs on the shared worker pool.
	 */
	public static <I, O> StageSpec<I, O> window(String name, int k, Stage<List<I>, O> stage) {
		return of(name, stage, Integer.toString(k), 1, false);
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
	 * @throws InvalidStageSettingException naming the stage, the setting and the value when a
	 * setting is invalid
	 * @see StageSettings#of(String, String, int, boolean)
	 */
	public static <I, O> StageSpec<I, O> of(String name, Stage<?, O> stage, String stateful, int batchSize,
			boolean runInMaster) {
		return of(name, stage, StageSettings.of(name, stateful, batchSize, runInMaster));
	}

	/** A stage with settings already parsed. */
	public static <I, O> StageSpec<I, O> of(String name, Stage<?, O> stage, StageSettings settings) {
		Objects.requireNonNull(stage, () -> "Stage '" + name + "' must not be null");
		return new StageSpec<>(name, stage, null, settings, FailurePolicy.NONE);
	}

	/**
	 * An async stage: {@code apply} is called on the consuming thread in input order and must
	 * not block; at most the batch size of its futures are outstanding, and no thread waits for
	 * them. Outputs keep the input order.
	 * @see AsyncStage
	 */
	public static <I, O> StageSpec<I, O> async(String name, AsyncStage<I, O> stage) {
		return async(name, stage, StageSettings.of(name, "false", 1, false));
	}

	/**
	 * An async stage that receives immutable sliding windows of {@code k} consecutive upstream
	 * items (step 1), as {@link #window(String, int, Stage)} does.
	 */
	public static <I, O> StageSpec<I, O> asyncWindow(String name, int k, AsyncStage<List<I>, O> stage) {
		return async(name, stage, StageSettings.of(name, Integer.toString(k), 1, false));
	}

	/**
	 * An async stage with settings already parsed: {@code stateful} {@code true} or {@code false}
	 * gives {@link #async}, a window size {@link #asyncWindow}.
	 * @throws InvalidStageSettingException when the settings run it in master
	 */
	public static <I, O> StageSpec<I, O> async(String name, AsyncStage<?, O> stage, StageSettings settings) {
		Objects.requireNonNull(stage, () -> "Stage '" + name + "' must not be null");
		Objects.requireNonNull(settings, () -> "Settings of stage '" + name + "' must not be null");
		StageSettings asyncSettings = (settings.kind() == StageKind.STATEFUL)
				? StageSettings.of(name, "false", settings.batchSize(), settings.runInMaster()) : settings;
		return new StageSpec<>(name, null, stage, asyncSettings, FailurePolicy.NONE);
	}

	/** A copy with at most {@code n} inputs (or windows) in flight. */
	public StageSpec<I, O> batchSize(int n) {
		return withSettings(StageSettings.of(this.name, stateful(), n, isRunInMaster()));
	}

	/**
	 * A copy that retries a failed call as {@code retry} says, before the item is skipped or
	 * the run fails. A retried item keeps its place in the output order.
	 */
	public StageSpec<I, O> retry(Retry retry) {
		Objects.requireNonNull(retry, () -> "Stage '" + this.name + "': retry must not be null");
		return withPolicy(new FailurePolicy(retry, this.failurePolicy.skip(), this.failurePolicy.skipLimit(),
				this.failurePolicy.timeout()));
	}

	/**
	 * A copy that skips an item whose call still fails after its retries, as if the stage had
	 * returned {@code null}, and hands it to the pipeline's {@link DeadLetterHandler}. An
	 * {@link Error} is never skipped.
	 */
	public StageSpec<I, O> skipFailures() {
		return withPolicy(new FailurePolicy(this.failurePolicy.retry(), true, this.failurePolicy.skipLimit(),
				this.failurePolicy.timeout()));
	}

	/** A copy that fails a run in which it skips more than {@code n} items. */
	public StageSpec<I, O> skipLimit(long n) {
		if (n < 0) {
			throw new IllegalArgumentException("Stage '" + this.name + "': skip limit must be at least 0, but was " + n);
		}
		return withPolicy(new FailurePolicy(this.failurePolicy.retry(), this.failurePolicy.skip(), n,
				this.failurePolicy.timeout()));
	}

	/**
	 * A copy whose calls fail with a {@link StageTimeoutException} when they take longer than
	 * {@code timeout}: the call is interrupted and the item's outcome is fixed at the deadline,
	 * even if the stage ignores the interrupt. A timed-out call of a stateless or window stage is
	 * retried as {@link #retry(Retry)} says; a stateful stage's thread is still in the call, so
	 * its item is skipped or fails the run. A stage run in master cannot have one (it runs on
	 * the consuming thread): the pipeline refuses it when built.
	 */
	public StageSpec<I, O> timeout(Duration timeout) {
		Objects.requireNonNull(timeout, () -> "Stage '" + this.name + "': timeout must not be null");
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException(
					"Stage '" + this.name + "': timeout must be positive, but was " + timeout);
		}
		return withPolicy(new FailurePolicy(this.failurePolicy.retry(), this.failurePolicy.skip(),
				this.failurePolicy.skipLimit(), timeout));
	}

	/** Longest call, or null for none. */
	public Duration timeout() {
		return this.failurePolicy.timeout();
	}

	/** How the stage retries, or null. */
	public Retry retryPolicy() {
		return this.failurePolicy.retry();
	}

	/** Whether items that still fail after their retries are skipped. */
	public boolean skipsFailures() {
		return this.failurePolicy.skip();
	}

	/** Most items skipped in one run before it fails ({@link Long#MAX_VALUE}: no limit). */
	public long skipLimit() {
		return this.failurePolicy.skipLimit();
	}

	FailurePolicy failurePolicy() {
		return this.failurePolicy;
	}

	private StageSpec<I, O> withSettings(StageSettings settings) {
		return new StageSpec<>(this.name, this.stage, this.asyncStage, settings, this.failurePolicy);
	}

	private StageSpec<I, O> withPolicy(FailurePolicy policy) {
		return new StageSpec<>(this.name, this.stage, this.asyncStage, this.settings, policy);
	}

	/**
	 * A copy that runs on the consuming thread; its batch size is then ignored.
	 * @throws InvalidStageSettingException for an async stage, which never runs in master
	 */
	public StageSpec<I, O> runInMaster() {
		return runInMaster(true);
	}

	/** A copy that runs, or does not run, on the consuming thread. */
	public StageSpec<I, O> runInMaster(boolean inMaster) {
		return withSettings(StageSettings.of(this.name, stateful(), batchSize(), inMaster));
	}

	public String name() {
		return this.name;
	}

	/** The stage, or null for an {@linkplain #isAsync() async stage}. */
	public Stage<?, O> stage() {
		return this.stage;
	}

	/** The async stage, or null for a stage that is not async. */
	public AsyncStage<?, O> asyncStage() {
		return this.asyncStage;
	}

	/** Whether this is an {@link AsyncStage}: never stateful and never run in master. */
	public boolean isAsync() {
		return this.asyncStage != null;
	}

	/** How the stage is scheduled. */
	public StageSettings settings() {
		return this.settings;
	}

	public StageKind kind() {
		return this.settings.kind();
	}

	/** The window size {@code k} of a {@link StageKind#WINDOW} stage, 0 otherwise. */
	public int window() {
		return this.settings.window();
	}

	public int batchSize() {
		return this.settings.batchSize();
	}

	public boolean isRunInMaster() {
		return this.settings.runInMaster();
	}

	/** Whether the stage takes a dedicated thread: stateful and not run in master. */
	public boolean needsDedicatedThread() {
		return this.settings.needsDedicatedThread();
	}

	/** The setting as the seed spells it: "true", "false" or the window size. */
	public String stateful() {
		return this.settings.stateful();
	}

	@Override
	public String toString() {
		return "StageSpec[" + this.name + (isAsync() ? ", async, " : ", ") + this.settings + "]";
	}

	private static String validName(String name) {
		if (name == null || name.isBlank()) {
			throw new IllegalArgumentException("Stage name must not be empty");
		}
		return name;
	}

}
