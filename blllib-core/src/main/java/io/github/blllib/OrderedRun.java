package io.github.blllib;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The engine's one {@link PipelineRun}: on the first pull it assembles a chain of nodes from its
 * {@link RunParts} (see {@link RunChainAssembler}) and from then on the consuming thread pulls
 * outputs through it, waiting (spinning briefly, then parked) while an off-thread stage works.
 * When no stage runs off the consuming thread, the chain is just the source and one
 * {@link InMasterChain}, and the pull is a tight loop over the two.
 *
 * <p>Closing cancels every stage, waits until no stage code of the run executes (an in-master
 * call of the consumer's included), releases the run's threads and tells the pipeline.
 */
final class OrderedRun<O> implements PipelineRun<O> {

	private static final int MAX_SPINS = 256;

	/** Drainers wake a parked consumer; the timeout is only a safety net. */
	private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

	private static final long CLOSER_MIN_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(10);

	private static final long CLOSER_MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

	/** The methods of a pull, in which the consumer may run in-master stage code. */
	private static final Set<String> PULL_METHODS = Set.of("fetchNext", "fetchOutsideTheLoop");

	/** The method that ends a pull for good: past it, no stage code runs. */
	private static final String END_METHOD = "end";

	private final RunParts parts;

	private final Iterable<?> inputs;

	private final RunSignals signals = new RunSignals();

	/** Orders the first pull's start against a close from another thread. */
	private final Object lifecycle = new Object();

	/** Counted down once the close that won has released everything. */
	private final CountDownLatch closed = new CountDownLatch(1);

	private RunChain chain;

	/** The chain's source, once started. */
	private SourceNode source;

	/** The chain after the source when no stage runs off the consuming thread, else null. */
	private InMasterChain inMaster;

	/** The thread that started the run; the only one that pulls it. */
	private volatile Thread consumer;

	private final RunResources resources;

	private Object next;

	/**
	 * How long the consumer polls before parking, adapted like an adaptive lock: it grows when
	 * spinning found output (cheap stages) and shrinks when it had to park anyway (slow stages),
	 * so waiting for slow stages costs no CPU the workers could use.
	 */
	private int spinLimit = 64;

	private boolean ended;

	/** Inputs read, nulls included; provisional position tracking, apart so the chain does not hold the run. */
	private final InputCount inputsRead = new InputCount();

	/** The first input after the last delivered output's origin; provisional position tracking. */
	private volatile long delivered;

	private volatile boolean exhausted;

	OrderedRun(RunParts parts, Iterable<?> inputs) {
		this.parts = parts;
		InputCount count = this.inputsRead;
		this.inputs = () -> new OriginTaggingIterator(inputs.iterator(), count);
		this.resources = new RunResources(parts, this.signals);
		this.resources.releaseWhenUnreachable(this);
	}

	/** The run's identity towards its pipeline, which must not keep the run itself reachable. */
	RunSignals token() {
		return this.signals;
	}

	@Override
	public boolean hasNext() {
		// small enough to inline into the consumer's loop; the rest is out of line
		return this.next != null || fetchNext();
	}

	@Override
	@SuppressWarnings("unchecked")
	public O next() {
		Object item = this.next;
		if (item == null) {
			if (!fetchNext()) {
				throw new NoSuchElementException("Pipeline '" + this.parts.pipeline() + "' has no more output");
			}
			item = this.next;
		}
		this.next = null;
		Tagged tagged = (Tagged) item;
		this.delivered = Math.max(this.delivered, tagged.origin() + 1);
		return (O) tagged.value();
	}

	@Override
	public long position() {
		return this.exhausted ? this.inputsRead.value : this.delivered;
	}

	private boolean fetchNext() {
		InMasterChain stages = this.inMaster;
		if (stages == null || this.ended || this.signals.isClosed()) {
			return fetchOutsideTheLoop();
		}
		// the pull of a run with no off-thread stage, kept small enough to inline into the
		// consumer's loop: the source through one chain, no waiting
		try {
			SourceNode source = this.source;
			while (true) {
				Object item = source.poll();
				if (item == RunNode.END) {
					break;
				}
				Object output = stages.accept(item);
				if (output != null) {
					this.next = output;
					return true;
				}
				if (inputsDroppedUntilClosed()) {
					break;
				}
			}
		}
		catch (RuntimeException | Error ex) {
			end(RunOutcome.failed(ex));
			throw ex;
		}
		end(null);
		return false;
	}

	/**
	 * Whether a close from another thread ends a pull that dropped input after input; throws when
	 * the consumer was interrupted meanwhile.
	 */
	private boolean inputsDroppedUntilClosed() {
		if (Thread.currentThread().isInterrupted()) {
			throw consumerInterrupted();
		}
		return this.signals.isClosed();
	}

	/** The first pull, a pull of a chain with off-thread stages, or a pull after the end. */
	private boolean fetchOutsideTheLoop() {
		if (this.ended) {
			return false;
		}
		try {
			boolean found = !this.signals.isClosed() && (this.source != null || start())
					&& ((this.inMaster != null) ? fetchNext() : pullChain());
			if (!found) {
				end(null);
			}
			return found;
		}
		catch (RuntimeException | Error ex) {
			end(RunOutcome.failed(ex));
			throw ex;
		}
	}

	/** The next output of a chain with off-thread stages, waiting for it when needed. */
	private boolean pullChain() {
		RunNode last = this.chain.last();
		int spins = 0;
		boolean parked = false;
		while (!this.signals.isClosed()) {
			Object item = last.poll();
			if (item == RunNode.END) {
				return false;
			}
			if (item != RunNode.NOT_READY) {
				if (spins > 0 && !parked) {
					this.spinLimit = Math.min(MAX_SPINS, this.spinLimit * 2);
				}
				this.next = item;
				return true;
			}
			if (Thread.currentThread().isInterrupted()) {
				throw consumerInterrupted();
			}
			if (spins < this.spinLimit) {
				spins++;
				Thread.onSpinWait();
				continue;
			}
			if (!parked) {
				parked = true;
				this.spinLimit = Math.max(1, this.spinLimit / 2);
			}
			if (DrainerGroup.isDrainerThread() && this.chain.help()) {
				// a pool worker pulling a nested run: it runs the work it waits for
				continue;
			}
			last.beforeWait();
			this.chain.publishCounts();
			this.signals.consumerWaits();
			item = last.pollWhileWaiting();
			if (item != RunNode.NOT_READY) {
				this.signals.consumerAwake();
				if (item == RunNode.END) {
					return false;
				}
				this.next = item;
				return true;
			}
			LockSupport.parkNanos(this, PARK_NANOS);
			this.signals.consumerAwake();
		}
		return false;
	}

	private PipelineException consumerInterrupted() {
		return new PipelineException(this.parts.pipeline(), "consumer", -1, "Pipeline '" + this.parts.pipeline()
				+ "': the consuming thread was interrupted while waiting for output", new InterruptedException());
	}

	private boolean start() {
		synchronized (this.lifecycle) {
			if (this.signals.isClosed()) {
				return false;
			}
			this.consumer = Thread.currentThread();
			this.resources.claimed(StatefulStageClaims.claim(this.parts.pipeline(), this.parts.stages()));
			this.chain = RunChainAssembler.assemble(tracked(this.parts), this.inputs, this.signals);
			this.resources.started(this.chain);
			this.source = this.chain.source();
			this.inMaster = this.chain.inMaster();
		}
		this.parts.events().runStarted();
		return true;
	}

	/** The consumer's last step: publishes what it counted alone and closes the run. */
	private void end(RunOutcome outcome) {
		this.exhausted = outcome == null && !this.signals.isClosed();
		this.resources.ended((outcome != null) ? outcome
				: this.signals.isClosed() ? RunOutcome.CLOSED : RunOutcome.EXHAUSTED);
		this.ended = true;
		this.next = null;
		if (this.chain != null) {
			this.chain.publishCounts();
		}
		close();
	}

	@Override
	public void close() {
		Thread self = Thread.currentThread();
		if (!this.signals.close()) {
			awaitClosed(self);
			return;
		}
		boolean interrupted = false;
		Thread consumer;
		synchronized (this.lifecycle) {
			consumer = this.consumer;
			if (this.chain != null) {
				if (consumer == self) {
					this.chain.publishCounts();
				}
			}
			interrupted = this.resources.stopChain();
		}
		this.signals.wakeConsumer();
		if (consumer != null && consumer != self) {
			interrupted |= awaitConsumerPull(consumer);
		}
		this.resources.release();
		this.closed.countDown();
		if (interrupted) {
			self.interrupt();
		}
	}

	/**
	 * Waits until the close that won has released everything, unless this thread is one that
	 * close may wait for: a stage thread of this run, or the consumer inside an in-master call.
	 */
	private void awaitClosed(Thread self) {
		if ((self == this.consumer && !this.ended) || (this.chain != null && this.chain.isStageThread())) {
			return;
		}
		boolean interrupted = false;
		while (true) {
			try {
				this.closed.await();
				break;
			}
			catch (InterruptedException ex) {
				interrupted = true;
			}
		}
		if (interrupted) {
			self.interrupt();
		}
	}

	/**
	 * Waits until the consumer is in no pull of a run, so that none of its in-master stage calls
	 * is still executing. The consumer marks nothing on its hot path (a mark per pull cost about
	 * a tenth of a cheap sequential pipeline's time); instead this looks at its stack, which the
	 * JVM takes with the consumer stopped at a safepoint, so that a pull it begins afterwards
	 * sees the run closed.
	 * @return whether this thread was interrupted meanwhile
	 */
	private boolean awaitConsumerPull(Thread consumer) {
		boolean interrupted = false;
		long backoff = CLOSER_MIN_PARK_NANOS;
		while (isPulling(consumer)) {
			LockSupport.parkNanos(this, backoff);
			backoff = Math.min(CLOSER_MAX_PARK_NANOS, backoff * 2);
			interrupted |= Thread.interrupted();
		}
		return interrupted;
	}

	/** The stage calls of this run executing now, the consumer's in-master calls included. */
	List<StageCall> runningCalls() {
		// without the lifecycle lock, which a close holds while it waits for stuck stage calls
		List<StageCall> calls = new ArrayList<>();
		Thread consumer = this.consumer;
		RunChain chain = this.resources.chain();
		if (chain != null) {
			calls.addAll(chain.runningCalls(this.parts.pipeline()));
		}
		if (consumer != null && isInMasterCall(consumer)) {
			calls.add(new StageCall(this.parts.pipeline(), "consumer", consumer.getName(), -1));
		}
		return calls;
	}

	private static boolean isInMasterCall(Thread consumer) {
		for (StackTraceElement frame : consumer.getStackTrace()) {
			if (frame.getClassName().startsWith(InMasterChain.class.getName())) {
				return true;
			}
		}
		return false;
	}

	/** Whether the consumer's innermost frame of a run is a pull's, rather than its end. */
	private static boolean isPulling(Thread consumer) {
		for (StackTraceElement frame : consumer.getStackTrace()) {
			if (frame.getClassName().equals(OrderedRun.class.getName())) {
				if (frame.getMethodName().equals(END_METHOD)) {
					return false;
				}
				if (PULL_METHODS.contains(frame.getMethodName())) {
					return true;
				}
			}
		}
		return false;
	}

	/** The parts with every stage wrapped so that items carry the index of the input they derive from. */
	private static RunParts tracked(RunParts parts) {
		List<StageSpec<?, ?>> stages = parts.stages().stream().<StageSpec<?, ?>>map(OrderedRun::tracked).toList();
		DeadLetterHandler deadLetters = (item) -> parts.deadLetters()
			.accept(new FailedItem(item.pipeline(), item.stage(), item.index(), untagged(item.input()), item.failure(),
					item.attempts()));
		return new RunParts(parts.pipeline(), stages, parts.counters(), parts.workerPool(), parts.nCpu(),
				parts.dedicatedExecutors(), deadLetters, parts.events());
	}

	@SuppressWarnings("unchecked")
	private static StageSpec<?, ?> tracked(StageSpec<?, ?> spec) {
		boolean window = spec.kind() == StageKind.WINDOW;
		StageSpec<Object, Object> copy;
		if (spec.isAsync()) {
			AsyncStage<Object, Object> stage = (AsyncStage<Object, Object>) spec.asyncStage();
			AsyncStage<Object, Object> wrapped = (item) -> taggedAnswer(origin(item), stage.apply(untagged(item)));
			copy = StageSpec.async(spec.name(), wrapped, spec.settings());
		}
		else {
			Stage<Object, Object> stage = (Stage<Object, Object>) spec.stage();
			Stage<Object, Object> wrapped = (item) -> tag(origin(item), stage.apply(untagged(item)));
			copy = StageSpec.of(spec.name(), wrapped, spec.settings());
		}
		if (spec.retryPolicy() != null) {
			copy = copy.retry(spec.retryPolicy());
		}
		if (spec.skipsFailures()) {
			copy = copy.skipFailures();
		}
		if (spec.skipLimit() != Long.MAX_VALUE) {
			copy = copy.skipLimit(spec.skipLimit());
		}
		Duration timeout = spec.timeout();
		return (timeout != null) ? copy.timeout(timeout) : copy;
	}

	private static long origin(Object item) {
		return (item instanceof List<?> window) ? ((Tagged) window.get(0)).origin() : ((Tagged) item).origin();
	}

	private static Object untagged(Object item) {
		if (item instanceof Tagged tagged) {
			return tagged.value();
		}
		if (item instanceof List<?> window && !window.isEmpty() && window.get(0) instanceof Tagged) {
			List<Object> values = new ArrayList<>(window.size());
			window.forEach((element) -> values.add(((Tagged) element).value()));
			return java.util.Collections.unmodifiableList(values);
		}
		return item;
	}

	private static Object tag(long origin, Object output) {
		return (output != null) ? new Tagged(origin, output) : null;
	}

	private static CompletionStage<Object> taggedAnswer(long origin, CompletionStage<Object> answer) {
		if (answer == null) {
			return null;
		}
		CompletionStage<Object> tagged = answer.thenApply((output) -> tag(origin, output));
		if (tagged instanceof CompletableFuture<Object> future) {
			future.whenComplete((output, failure) -> {
				if (future.isCancelled()) {
					try {
						answer.toCompletableFuture().cancel(true);
					}
					catch (UnsupportedOperationException ex) {
						// the stage's answer cannot be cancelled
					}
				}
			});
		}
		return tagged;
	}

	/** Inputs read so far. */
	private static final class InputCount {

		private volatile long value;

	}

	/** An item and the index of the input it derives from. */
	private record Tagged(long origin, Object value) {
	}

	/** Tags each input with its index, nulls counted (and left null, so that the source drops them). */
	private static final class OriginTaggingIterator implements Iterator<Object> {

		private final Iterator<?> inputs;

		private final InputCount read;

		private OriginTaggingIterator(Iterator<?> inputs, InputCount read) {
			this.inputs = inputs;
			this.read = read;
		}

		@Override
		public boolean hasNext() {
			return this.inputs.hasNext();
		}

		@Override
		public Object next() {
			Object input = this.inputs.next();
			long index = this.read.value;
			this.read.value = index + 1;
			return (input != null) ? new Tagged(index, input) : null;
		}

	}

}
