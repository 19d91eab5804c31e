package io.github.blllib;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A stage: its name, what it calls ({@link #function()}: a {@link Stage} or an
 * {@link AsyncStage}) and its {@link #settings()}. Immutable: the methods named after a setting
 * ({@link #batchSize(int)}, {@link #runInMaster()}, {@link #retry(Retry)},
 * {@link #skipFailures()}, {@link #skipLimit(long)}, {@link #timeout(Duration)}) return copies;
 * the settings are read from {@link #settings()} ({@code spec.settings().batchSize()}).
 *
 * @param <I> the upstream item type (for a window stage, the type of the window's elements)
 * @param <O> output type
 */
public final class StageSpec<I, O> {

	/** Name reserved for the pipeline's input in {@link PipelineException#stage()}. */
	public static final String SOURCE = "source";

	private final String name;

	private final StageFunction<O> function;

	private final StageSettings settings;

	/** The settings' failure handling, as the nodes run it. */
	private final FailurePolicy failurePolicy;

	private StageSpec(String name, StageFunction<O> function, StageSettings settings) {
		this.name = validName(name);
		this.function = Objects.requireNonNull(function, () -> "Stage '" + name + "' must not be null");
		Objects.requireNonNull(settings, () -> "Settings of stage '" + name + "' must not be null");
		this.settings = (function instanceof StageFunction.Async) ? settings.checkedForAsync(name) : settings;
		this.failurePolicy = new FailurePolicy(settings.retry(), settings.skipFailures(), settings.skipLimit(),
				settings.timeout());
	}

	/**
	 * A stage that runs in order on a dedicated thread. Its instance runs in one open run at a
	 * time, whichever pipelines share it, when it can hold state (its class or a superclass has an
	 * instance field): the guard sees the stage object, not what it captures or wraps, so a new
	 * wrapper per pipeline around one shared object (such as {@code acc::add}) is not caught.
	 */
	public static <I, O> StageSpec<I, O> stateful(String name, Stage<I, O> stage) {
		return of(name, stage, StageSettings.builder(name).build());
	}

	/** A thread-safe stage that runs on the shared worker pool. */
	public static <I, O> StageSpec<I, O> stateless(String name, Stage<I, O> stage) {
		return of(name, stage, StageSettings.builder(name).stateful("false").build());
	}

	/**
	 * A conditionally stateless stage: it receives immutable sliding windows of {@code k}
	 * consecutive upstream items (step 1) and runs on the shared worker pool.
	 */
	public static <I, O> StageSpec<I, O> window(String name, int k, Stage<List<I>, O> stage) {
		return of(name, stage, StageSettings.builder(name).window(k).build());
	}

	/**
	 * A stage whose settings come from {@link BlllibStage} on its class, with the defaults
	 * (stateful, batch size 1, not in master) where it has none.
	 */
	public static <I, O> StageSpec<I, O> of(String name, Stage<?, O> stage) {
		Objects.requireNonNull(stage, () -> "Stage '" + name + "' must not be null");
		BlllibStage settings = stage.getClass().getAnnotation(BlllibStage.class);
		if (settings == null) {
			return of(name, stage, StageSettings.builder(name).build());
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
		return new StageSpec<>(name, new StageFunction.Blocking<>(stage), settings);
	}

	/**
	 * A stage calling {@code function} with {@code settings}:
	 * {@code StageSpec.of(spec.name(), spec.function(), spec.settings())} copies a spec with every
	 * setting it has, as {@code blllib-flink} does to rebuild a spec on a task manager.
	 * @throws InvalidStageSettingException when the settings run an async stage in master
	 */
	public static <I, O> StageSpec<I, O> of(String name, StageFunction<O> function, StageSettings settings) {
		return new StageSpec<>(name, function, settings);
	}

	/**
	 * An async stage: {@code apply} is called on the consuming thread in input order and must
	 * not block; at most the batch size of its futures are outstanding, and no thread waits for
	 * them. Outputs keep the input order.
	 * @see AsyncStage
	 */
	public static <I, O> StageSpec<I, O> async(String name, AsyncStage<I, O> stage) {
		return async(name, stage, StageSettings.builder(name).stateful("false").build());
	}

	/**
	 * An async stage that receives immutable sliding windows of {@code k} consecutive upstream
	 * items (step 1), as {@link #window(String, int, Stage)} does.
	 */
	public static <I, O> StageSpec<I, O> asyncWindow(String name, int k, AsyncStage<List<I>, O> stage) {
		return async(name, stage, StageSettings.builder(name).window(k).build());
	}

	/**
	 * An async stage with settings already parsed: a window size gives {@link #asyncWindow};
	 * {@code stateful} {@code true} or {@code false} give {@link #async} alike (the value is kept
	 * as given: an async stage's calls start in input order on the consuming thread either way).
	 * @throws InvalidStageSettingException when the settings run it in master
	 */
	public static <I, O> StageSpec<I, O> async(String name, AsyncStage<?, O> stage, StageSettings settings) {
		Objects.requireNonNull(stage, () -> "Stage '" + name + "' must not be null");
		return new StageSpec<>(name, new StageFunction.Async<>(stage), settings);
	}

	/** A copy with at most {@code n} inputs (or windows) in flight. */
	public StageSpec<I, O> batchSize(int n) {
		return withSettings(this.settings.toBuilder(this.name).batchSize(n));
	}

	/**
	 * A copy that runs on the consuming thread; its batch size is then ignored.
	 * @throws InvalidStageSettingException for an async stage, which never runs in master, and
	 * for a stage with a timeout
	 */
	public StageSpec<I, O> runInMaster() {
		return runInMaster(true);
	}

	/** A copy that runs, or does not run, on the consuming thread. */
	public StageSpec<I, O> runInMaster(boolean inMaster) {
		return withSettings(this.settings.toBuilder(this.name).runInMaster(inMaster));
	}

	/**
	 * A copy that retries a failed call as {@code retry} says, before the item is skipped or
	 * the run fails. A retried item keeps its place in the output order.
	 */
	public StageSpec<I, O> retry(Retry retry) {
		Objects.requireNonNull(retry, () -> "Stage '" + this.name + "': retry must not be null");
		return withSettings(this.settings.toBuilder(this.name).retry(retry));
	}

	/**
	 * A copy that skips an item whose call still fails after its retries, as if the stage had
	 * returned {@code null}, and hands it to the pipeline's {@link DeadLetterHandler}. An
	 * {@link Error} is never skipped.
	 */
	public StageSpec<I, O> skipFailures() {
		return withSettings(this.settings.toBuilder(this.name).skipFailures(true));
	}

	/** A copy that fails a run in which it skips more than {@code n} items. */
	public StageSpec<I, O> skipLimit(long n) {
		return withSettings(this.settings.toBuilder(this.name).skipLimit(n));
	}

	/**
	 * A copy whose calls fail with a {@link StageTimeoutException} when they take longer than
	 * {@code timeout} (positive, {@value DurationLimit#LONGEST_IN_WORDS}): the call is interrupted
	 * and the item's outcome is fixed at the deadline, even if the stage ignores the interrupt. A timed-out call of a stateless or window stage is
	 * retried as {@link #retry(Retry)} says; a stateful stage's thread is still in the call, so
	 * its item is skipped or fails the run. A stage run in master cannot have one (it runs on
	 * the consuming thread).
	 * @throws InvalidStageSettingException when the timeout is not positive or the stage runs in
	 * master
	 */
	public StageSpec<I, O> timeout(Duration timeout) {
		Objects.requireNonNull(timeout, () -> "Stage '" + this.name + "': timeout must not be null");
		return withSettings(this.settings.toBuilder(this.name).timeout(timeout));
	}

	/**
	 * A copy whose calls start no faster than {@code limit} allows: in any interval of its period,
	 * at most its permits of calls start, retries included, shared with every stage given the same
	 * instance. A call whose permit is not yet due starts when it is, and no thread blocks waiting
	 * for it meanwhile (a stage run in master waits on the consuming thread); the output order
	 * and the batch size are unchanged.
	 */
	public StageSpec<I, O> rateLimit(RateLimit limit) {
		Objects.requireNonNull(limit, () -> "Stage '" + this.name + "': rate limit must not be null");
		return withSettings(this.settings.toBuilder(this.name).rateLimit(limit));
	}

	private StageSpec<I, O> withSettings(StageSettings.Builder settings) {
		return new StageSpec<>(this.name, this.function, settings.build());
	}

	public String name() {
		return this.name;
	}

	/** What the stage calls: a {@link Stage} or an {@link AsyncStage}. */
	public StageFunction<O> function() {
		return this.function;
	}

	/** Every setting of the stage. */
	public StageSettings settings() {
		return this.settings;
	}

	/** Whether this is an {@link AsyncStage}: never run in master, never on a thread of its own. */
	public boolean isAsync() {
		return this.function instanceof StageFunction.Async;
	}

	/** Whether the stage takes a dedicated thread: a stateful {@link Stage} not run in master. */
	public boolean needsDedicatedThread() {
		return !isAsync() && this.settings.needsDedicatedThread();
	}

	/** The stage, or null for an async stage. */
	Stage<?, O> stage() {
		return (this.function instanceof StageFunction.Blocking<O> blocking) ? blocking.stage() : null;
	}

	/** The async stage, or null for a stage that is not async. */
	AsyncStage<?, O> asyncStage() {
		return (this.function instanceof StageFunction.Async<O> async) ? async.stage() : null;
	}

	FailurePolicy failurePolicy() {
		return this.failurePolicy;
	}

	StageKind kind() {
		return this.settings.kind();
	}

	int window() {
		return this.settings.window();
	}

	int batchSize() {
		return this.settings.batchSize();
	}

	boolean isRunInMaster() {
		return this.settings.runInMaster();
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
