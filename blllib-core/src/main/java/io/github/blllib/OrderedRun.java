package io.github.blllib;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
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

	/** The consumer publishes its position for other threads after this many outputs, at least. */
	private static final long POSITION_PUBLICATION_MASK = 1023;

	private static final VarHandle PUBLISHED_POSITION;

	static {
		try {
			PUBLISHED_POSITION = MethodHandles.lookup().findVarHandle(OrderedRun.class, "publishedPosition", long.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

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

	/** Outputs handed to the consumer. */
	private long delivered;

	/** The position once the run has ended. */
	private long endPosition;

	/** The position as the consumer last published it, for other threads (opaque). */
	private long publishedPosition;

	/**
	 * How long the consumer polls before parking, adapted like an adaptive lock: it grows when
	 * spinning found output (cheap stages) and shrinks when it had to park anyway (slow stages),
	 * so waiting for slow stages costs no CPU the workers could use.
	 */
	private int spinLimit = 64;

	private boolean ended;

	OrderedRun(RunParts parts, Iterable<?> inputs) {
		this.parts = parts;
		this.inputs = inputs;
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
		if ((++this.delivered & POSITION_PUBLICATION_MASK) == 0) {
			publishPosition();
		}
		return (O) item;
	}

	/**
	 * Exact on the consuming thread; other threads read the value the consumer published last:
	 * after every so many outputs, before it waits for output, when the run ends and whenever it
	 * calls this.
	 */
	@Override
	public long position() {
		return (Thread.currentThread() == this.consumer) ? publishPosition()
				: (long) PUBLISHED_POSITION.getOpaque(this);
	}

	/** Publishes the consumer's position for other threads; the position. Consuming thread. */
	private long publishPosition() {
		long position = this.ended ? this.endPosition : currentPosition();
		PUBLISHED_POSITION.setOpaque(this, position);
		return position;
	}

	/** The position as the chain's state and the consumer's fetched output give it. */
	private long currentPosition() {
		// SPEC §14: 0 until an output is delivered, even after inputs that were all dropped
		return (this.delivered == 0 || this.chain == null) ? 0 : this.chain.position(this.next != null);
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
			publishPosition();
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
			this.chain = RunChainAssembler.assemble(this.parts, this.inputs, this.signals);
			this.resources.started(this.chain);
			this.source = this.chain.source();
			this.inMaster = this.chain.inMaster();
		}
		this.parts.events().runStarted();
		return true;
	}

	/**
	 * The consumer's last step: fixes the position, publishes what it counted alone and closes
	 * the run.
	 */
	private void end(RunOutcome failure) {
		RunOutcome outcome = (failure != null) ? failure
				: this.signals.isClosed() ? RunOutcome.CLOSED : RunOutcome.EXHAUSTED;
		this.resources.ended(outcome);
		if (!this.ended) {
			// exhausted, the k - 1 items a window still holds start no window: every input is done
			this.endPosition = (outcome == RunOutcome.EXHAUSTED) ? this.source.heldOrigin() : currentPosition();
			this.ended = true;
		}
		PUBLISHED_POSITION.setOpaque(this, this.endPosition);
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

}
