package io.github.blllib;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * An ordered list of stages that inputs flow through lazily, in order, with at most a stage's
 * batch size of items in flight per stage. Stage instances, and their state, are shared by the
 * pipeline's successive runs; only one run is open at a time. Stateful stages get a dedicated
 * thread for each run; stateless and window stages share the pipeline's worker pool (or the
 * executor given to {@link Builder#workerPool(Executor)}), whose threads live until the pipeline
 * is closed or are idle for 30 seconds; async stages take no thread of the pipeline's.
 *
 * <pre>{@code
 * try (Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("numbers")
 *         .then(StageSpec.stateless("square", (Integer x) -> x * x).batchSize(8))
 *         .build();
 *      PipelineRun<Integer> run = pipeline.apply(List.of(1, 2, 3))) {
 *     run.forEachRemaining(System.out::println);
 * }
 * }</pre>
 *
 * @param <I> input type
 * @param <O> output type
 */
public final class Pipeline<I, O> implements AutoCloseable {

	private static final System.Logger logger = System.getLogger(Pipeline.class.getName());

	/** Characters a URL path segment holds as they are. */
	private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9._~-]+");

	/** Idle threads of a pipeline's own worker pool end after this long. */
	private static final long IDLE_WORKER_SECONDS = 30;

	private final String name;

	private final List<StageSpec<?, ?>> stages;

	private final List<StageCounters> counters;

	private final int nCpu;

	private final boolean sequential;

	/** The worker pool the pipeline created and shuts down when closed, or null. */
	private final ThreadPoolExecutor ownedWorkerPool;

	/** The threads of that pool. */
	private final NamedThreadFactory ownedWorkerThreads;

	private final List<PipelineListener> listeners;

	/** What each run is handed. */
	private final RunParts runParts;

	private final Object lock = new Object();

	/** The open run's identity, or null; the run itself is held weakly so that it can be abandoned. */
	private RunState openRunToken;

	private WeakReference<OrderedRun<O>> openRun = new WeakReference<>(null);

	private boolean closed;

	private Pipeline(Builder<I, O> builder) {
		this.name = builder.name;
		this.sequential = builder.sequential;
		List<StageSpec<?, ?>> specs = new ArrayList<>();
		for (StageSpec<?, ?> spec : builder.stages) {
			specs.add(!this.sequential ? spec : spec.isAsync() ? spec.batchSize(1) : spec.runInMaster());
		}
		this.stages = List.copyOf(specs);
		this.counters = this.stages.stream().map((spec) -> new StageCounters(spec.name())).toList();
		this.nCpu = (builder.nCpu > 0) ? builder.nCpu
				: StageSettings.defaultNCpu(
						this.stages.stream().filter((spec) -> !spec.isAsync()).map(StageSpec::settings).toList());
		boolean needsWorkers = this.stages.stream()
			.anyMatch((spec) -> !spec.isRunInMaster() && !spec.isAsync() && spec.kind() != StageKind.STATEFUL);
		this.ownedWorkerThreads = new NamedThreadFactory("blllib-" + this.name + "-worker", true);
		this.ownedWorkerPool = (needsWorkers && builder.workerPool == null)
				? newWorkerPool(this.ownedWorkerThreads, this.nCpu) : null;
		Executor workerPool = (builder.workerPool != null) ? builder.workerPool : this.ownedWorkerPool;
		DedicatedExecutorFactory dedicatedExecutors = (builder.dedicatedExecutors != null)
				? builder.dedicatedExecutors : Pipeline::defaultDedicatedExecutor;
		this.listeners = List.copyOf(builder.listeners);
		this.runParts = new RunParts(this.name, this.stages, this.counters, workerPool, this.nCpu,
				dedicatedExecutors,
				(builder.deadLetters != null) ? builder.deadLetters : StageFailures::logDeadLetter, new Events());
		tellListeners("pipelineCreated", (listener) -> listener.pipelineCreated(this));
	}

	/** A pool of n-cpu daemon threads, started on first use and ended when idle for a while. */
	private static ThreadPoolExecutor newWorkerPool(NamedThreadFactory threads, int nCpu) {
		ThreadPoolExecutor pool = new ThreadPoolExecutor(nCpu, nCpu, IDLE_WORKER_SECONDS, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), threads);
		pool.allowCoreThreadTimeOut(true);
		return pool;
	}

	/** Starts a pipeline named {@code name}; add stages with {@link Builder#then(StageSpec)}. */
	public static <T> Builder<T, T> builder(String name) {
		return new Builder<>(name);
	}


	/**
	 * Starts a lazy run over {@code inputs}: nothing is read before the first
	 * {@code hasNext()}.
	 * @throws IllegalStateException when a run is already open or the pipeline is closed
	 */
	public PipelineRun<O> apply(Iterable<? extends I> inputs) {
		Objects.requireNonNull(inputs, "inputs must not be null");
		synchronized (this.lock) {
			if (this.closed) {
				throw new IllegalStateException("Pipeline '" + this.name + "' is closed");
			}
			if (this.openRunToken != null) {
				throw new IllegalStateException("Pipeline '" + this.name
						+ "' already has an open run: exhaust or close it before calling apply again");
			}
			RunState state = new RunState(this.name, this.runParts.hasStatefulStageInMaster());
			OrderedRun<O> run = new OrderedRun<>(this.runParts, inputs, state);
			this.openRunToken = run.token();
			this.openRun = new WeakReference<>(run);
			return run;
		}
	}

	/** Ends any open run and refuses new ones; idempotent. */
	@Override
	public void close() {
		PipelineRun<O> run;
		synchronized (this.lock) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			run = this.openRun.get();
		}
		if (run != null) {
			run.close();
		}
		ThreadPoolExecutor pool = this.ownedWorkerPool;
		if (pool != null) {
			pool.shutdown();
			// a stage that closes its own pipeline runs on a worker: it cannot wait for itself
			if (!DrainerGroup.isDrainerThread()) {
				awaitTermination(pool);
				// the pool terminates as its last worker leaves its loop, just before the thread ends
				this.ownedWorkerThreads.threads().forEach(Pipeline::joinUninterruptibly);
			}
		}
		tellListeners("pipelineClosed", (listener) -> listener.pipelineClosed(this));
	}

	/**
	 * Closes as {@link #close()} does, waiting at most {@code timeout} for stage code to end: for
	 * a shutdown that must not hang on a stage that ignores interrupts. The close goes on in the
	 * background when the time is up.
	 * @return whether the pipeline closed in time; if not, {@link #runningCalls()} says what runs
	 */
	public boolean close(Duration timeout) {
		Objects.requireNonNull(timeout, "timeout must not be null");
		Thread closer = new Thread(this::close, "blllib-" + this.name + "-closer");
		closer.setDaemon(true);
		closer.start();
		try {
			closer.join(Math.max(1, timeout.toMillis()));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return !closer.isAlive();
	}

	/** The stage calls of the open run executing now; empty when no run is open. */
	public List<StageCall> runningCalls() {
		PipelineRun<O> run;
		synchronized (this.lock) {
			run = this.openRun.get();
		}
		return (run instanceof OrderedRun<?> ordered) ? ordered.runningCalls() : List.of();
	}

	/**
	 * The open run's {@link PipelineRun#position() position}, for a view of the run from another
	 * thread (it may lag behind the consumer's); empty when no run is open.
	 */
	public OptionalLong openRunPosition() {
		PipelineRun<O> run;
		synchronized (this.lock) {
			run = (this.openRunToken != null) ? this.openRun.get() : null;
		}
		return (run != null) ? OptionalLong.of(run.position()) : OptionalLong.empty();
	}

	public String name() {
		return this.name;
	}

	/** The stages, in order, with their effective settings. */
	public List<StageSpec<?, ?>> stages() {
		return this.stages;
	}

	/** Live per-stage figures, in stage order. */
	public List<StageStatistics> statistics() {
		return List.copyOf(this.counters);
	}

	/** Worker threads shared by the stateless and window stages of a run. */
	public int nCpu() {
		return this.nCpu;
	}

	public boolean isSequential() {
		return this.sequential;
	}

	/** Whether a run is open now. */
	public boolean hasOpenRun() {
		synchronized (this.lock) {
			return this.openRunToken != null;
		}
	}

	public boolean isClosed() {
		synchronized (this.lock) {
			return this.closed;
		}
	}

	@Override
	public String toString() {
		return "Pipeline[" + this.name + ", stages=" + this.stages + "]";
	}

	private static void joinUninterruptibly(Thread thread) {
		boolean interrupted = false;
		while (true) {
			try {
				thread.join();
				break;
			}
			catch (InterruptedException ex) {
				interrupted = true;
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

	private static void awaitTermination(ExecutorService executor) {
		boolean interrupted = false;
		try {
			while (true) {
				try {
					if (executor.awaitTermination(1, TimeUnit.MINUTES)) {
						return;
					}
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
			}
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/**
	 * Tells every listener of an event. Listeners observe, they do not steer: one that throws is
	 * logged and the others are told all the same.
	 */
	private void tellListeners(String event, Consumer<PipelineListener> call) {
		for (PipelineListener listener : this.listeners) {
			try {
				call.accept(listener);
			}
			catch (RuntimeException ex) {
				logger.log(System.Logger.Level.WARNING, "Listener " + listener + " of pipeline '" + this.name
						+ "' failed on " + event + "; ignored", ex);
			}
		}
	}

	private static ExecutorService defaultDedicatedExecutor(String pipeline, String stage) {
		return Executors.newSingleThreadExecutor(new NamedThreadFactory("blllib-" + pipeline + "-" + stage));
	}

	/** The pipeline's side of its runs' life cycle. */
	private final class Events implements RunEvents {

		@Override
		public void runStarted() {
			tellListeners("runStarted", (listener) -> listener.runStarted(Pipeline.this));
		}

		@Override
		public void runEnded(RunState token, RunOutcome outcome, boolean started) {
			synchronized (Pipeline.this.lock) {
				if (Pipeline.this.openRunToken == token) {
					Pipeline.this.openRunToken = null;
					Pipeline.this.openRun = new WeakReference<>(null);
				}
			}
			if (started) {
				tellListeners("runEnded", (listener) -> listener.runEnded(Pipeline.this, outcome));
			}
		}

	}

	/**
	 * {@code nCpu}, the worker threads of pipeline {@code pipeline}'s stateless and window stages,
	 * when it is allowed: at least 1.
	 * @param pipeline the pipeline's name for the message, or null (a pool shared by pipelines)
	 * @throws InvalidStageSettingException naming {@link InvalidStageSettingException#N_CPU} and
	 * the allowed values
	 */
	public static int validNCpu(String pipeline, int nCpu) {
		if (nCpu < 1) {
			throw InvalidStageSettingException.ofPipeline(pipeline, InvalidStageSettingException.N_CPU, nCpu,
					"an integer of at least 1");
		}
		return nCpu;
	}

	/**
	 * {@code name} if it may name a pipeline: letters, digits, {@code '.'}, {@code '_'},
	 * {@code '-'} or {@code '~'}, so that it can name the pipeline in a URL, a thread and a meter
	 * tag. {@code blllib-flink} names its jobs' pipelines by the same rule.
	 * @throws IllegalArgumentException saying what a name may hold
	 */
	public static String requireValidName(String name) {
		if (name == null || !VALID_NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("Pipeline name must be letters, digits, '.', '_', '-' or '~' (so that "
					+ "it can name the pipeline in a URL, a thread and a meter tag), but was '" + name + "'");
		}
		return name;
	}

	/**
	 * Checks that a stage named {@code stageName} may join pipeline {@code pipeline}, whose stages
	 * so far are named {@code usedNames}: stage names are unique within a pipeline and never
	 * {@value StageSpec#SOURCE} (the name errors of the input carry).
	 * @throws IllegalArgumentException naming the pipeline and the stage
	 */
	public static void requireNewStageName(String pipeline, Collection<String> usedNames, String stageName) {
		if (usedNames.contains(stageName) || StageSpec.SOURCE.equals(stageName)) {
			throw new IllegalArgumentException("Pipeline '" + pipeline + "': stage name '" + stageName
					+ "' is already used (stage names must be unique and not '" + StageSpec.SOURCE + "')");
		}
	}

	/**
	 * Builds a {@link Pipeline}.
	 *
	 * @param <I> input type
	 * @param <O> output type of the last stage added
	 */
	public static final class Builder<I, O> {

		private final String name;

		private final List<StageSpec<?, ?>> stages = new ArrayList<>();

		private final List<PipelineListener> listeners = new ArrayList<>();

		private int nCpu;

		private boolean sequential;

		private Executor workerPool;

		private DedicatedExecutorFactory dedicatedExecutors;

		private DeadLetterHandler deadLetters;

		private Builder(String name) {
			this.name = requireValidName(name);
		}

		/**
		 * Worker threads shared by stateless and window stages (the seed's {@code n_cpu}).
		 * Defaults to the seed's {@code max(1, N - K)}: {@code N} the available processors, {@code K}
		 * the stages that take a dedicated thread (stateful, not in master).
		 */
		public Builder<I, O> nCpu(int nCpu) {
			this.nCpu = validNCpu(this.name, nCpu);
			return this;
		}

		/**
		 * Runs every stage on the consuming thread, as the seed's {@code SequentialPipeline}; an
		 * async stage has one call outstanding at a time, which the consumer waits for.
		 */
		public Builder<I, O> sequential() {
			this.sequential = true;
			return this;
		}

		/**
		 * Runs stateless and window stages on this executor instead of a pool the pipeline creates.
		 * It must have {@link #nCpu(int)} threads; the pipeline never shuts it down.
		 */
		public Builder<I, O> workerPool(Executor executor) {
			this.workerPool = Objects.requireNonNull(executor, "workerPool must not be null");
			return this;
		}

		/** Opens the dedicated single-thread executors of stateful stages. */
		public Builder<I, O> dedicatedExecutors(DedicatedExecutorFactory factory) {
			this.dedicatedExecutors = Objects.requireNonNull(factory, "dedicatedExecutors must not be null");
			return this;
		}

		/**
		 * Receives the items that stages skip after failing (see {@link StageSpec#skipFailures()});
		 * by default each is logged at WARN.
		 */
		public Builder<I, O> deadLetters(DeadLetterHandler handler) {
			this.deadLetters = Objects.requireNonNull(handler, "deadLetters must not be null");
			return this;
		}

		/** Adds a listener told of the pipeline's life cycle. */
		public Builder<I, O> listener(PipelineListener listener) {
			this.listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
			return this;
		}

		/** Appends a stage fed with this builder's current output. */
		@SuppressWarnings("unchecked")
		public <R> Builder<I, R> then(StageSpec<? super O, R> stage) {
			Objects.requireNonNull(stage, "stage must not be null");
			requireNewStageName(this.name, this.stages.stream().map(StageSpec::name).toList(), stage.name());
			this.stages.add(stage);
			return (Builder<I, R>) this;
		}

		/** Appends stages whose types are only known at run time, as a factory assembles them. */
		@SuppressWarnings("unchecked")
		public <R> Builder<I, R> thenAll(List<? extends StageSpec<?, ?>> stages) {
			for (StageSpec<?, ?> stage : stages) {
				then((StageSpec<Object, Object>) stage);
			}
			return (Builder<I, R>) this;
		}

		public Pipeline<I, O> build() {
			return new Pipeline<>(this);
		}

	}

}
