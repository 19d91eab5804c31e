package io.github.blllib;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The engine's one {@link PipelineRun}: on the first pull it assembles a chain of nodes from its
 * {@link RunParts} (see {@link RunChainAssembler}) and from then on the consuming thread pulls
 * outputs through it, waiting (spinning briefly, then parked) while an off-thread stage works.
 * When no stage runs off the consuming thread, the chain is just the source and one
 * {@link InMasterChain}, and the pull is a tight loop over the two. The run's lifecycle, and
 * where its consumer is, live in its {@link RunState}.
 *
 * <p>Closing cancels every stage, waits until no stage code of the run executes (the consumer's
 * pull of this run included, never a pull of another run), releases the run's threads and tells
 * the pipeline.
 */
final class OrderedRun<O> implements PipelineRun<O> {

	private static final int MAX_SPINS = 256;

	/** The consumer publishes its position for other threads after this many pulls out of line, at least. */
	private static final int POSITION_PUBLICATION_INTERVAL = 1024;

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

	private static final VarHandle IN_FAST_PULL;

	private static final VarHandle FAST_PATH;

	static {
		try {
			IN_FAST_PULL = MethodHandles.lookup().findVarHandle(OrderedRun.class, "inFastPull", boolean.class);
			FAST_PATH = MethodHandles.lookup().findVarHandle(OrderedRun.class, "fastPath", InMasterChain.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final RunParts parts;

	private final Iterable<?> inputs;

	private final RunState state;

	private final RunResources resources;

	/** Whether every pull's mark is fenced: a stateful stage runs in master. */
	private final boolean fencedPulls;

	// Written and read by the consuming thread only.

	private RunChain chain;

	/** The chain's source, once started. */
	private SourceNode source;

	/**
	 * The chain after the source while pulls take the fast path: from the start of a run whose
	 * stages all run in master until its end or a close, which sets it back to null. Read by the
	 * consumer before each pull.
	 */
	private InMasterChain fastPath;

	private Object next;

	/** Whether the run's first pull fetched an output. */
	private boolean firstOutputFetched;

	/** Whether a pull followed the first: its output, if any, was handed over. */
	private boolean handedOver;

	/** Pulls out of line until the consumer publishes its position again. */
	private int untilPublication = POSITION_PUBLICATION_INTERVAL;

	/** The position once the run has ended. */
	private long endPosition;

	/** Whether the run's end fixed {@link #endPosition}. Consuming thread. */
	private boolean positionFixed;

	/** The position as the consumer last published it, for other threads (opaque). */
	private long publishedPosition;

	/**
	 * Whether the consumer is in a pull of the fast path, running in-master stages: the mark
	 * {@link RunState} keeps for every other pull, here in a field of the object the consumer
	 * writes per item anyway, where it costs the fast path nothing measurable. Read by closers.
	 */
	private volatile boolean inFastPull;

	/**
	 * How long the consumer polls before parking, adapted like an adaptive lock: it grows when
	 * spinning found output (cheap stages) and shrinks when it had to park anyway (slow stages),
	 * so waiting for slow stages costs no CPU the workers could use.
	 */
	private int spinLimit = 64;

	/**
	 * @param state the run's state, made before the run: drainers read it per item and the
	 * consumer writes the run's fields per item, so the two should not be made side by side
	 */
	OrderedRun(RunParts parts, Iterable<?> inputs, RunState state) {
		this.parts = parts;
		this.inputs = inputs;
		this.state = state;
		this.fencedPulls = state.hasFencedPulls();
		this.resources = new RunResources(parts, this.state);
		this.resources.releaseWhenUnreachable(this);
	}

	/** The run's identity towards its pipeline, which must not keep the run itself reachable. */
	RunState token() {
		return this.state;
	}

	@Override
	public boolean hasNext() {
		// small enough to inline into the consumer's loop; the rest is out of line
		return this.next != null || fetchNext();
	}

	@Override
	@SuppressWarnings("unchecked")
	public O next() {
		// small enough to inline into the consumer's loop; the rest is out of line
		Object item = this.next;
		if (item == null) {
			item = fetchForNext();
		}
		this.next = null;
		return (O) item;
	}

	/** The output that {@link #next()} hands over when no {@link #hasNext()} fetched it. */
	private Object fetchForNext() {
		if (!fetchNext()) {
			throw new NoSuchElementException("Pipeline '" + this.parts.pipeline() + "' has no more output");
		}
		return this.next;
	}

	/**
	 * Exact on the consuming thread; other threads read the value the consumer published last:
	 * at least every {@value #POSITION_PUBLICATION_INTERVAL} pulls (a run whose stages all run in
	 * master: inputs), before it waits for output, when the run ends and whenever it calls this.
	 */
	@Override
	public long position() {
		return (Thread.currentThread() == this.state.consumer()) ? publishPosition()
				: (long) PUBLISHED_POSITION.getOpaque(this);
	}

	/** Publishes the consumer's position for other threads; the position. Consuming thread. */
	private long publishPosition() {
		long position = this.positionFixed ? this.endPosition : currentPosition();
		PUBLISHED_POSITION.setOpaque(this, position);
		return position;
	}

	/** The position as the chain's state and the consumer's fetched output give it. */
	private long currentPosition() {
		// SPEC §14: 0 until an output is delivered, even after inputs that were all dropped
		boolean delivered = this.handedOver || (this.firstOutputFetched && this.next == null);
		return (!delivered || this.chain == null) ? 0 : this.chain.position(this.next != null);
	}

	/**
	 * The pull of a run with no off-thread stage is this loop: the source through one chain, no
	 * waiting; every other pull goes out of line. The loop is this method's own, so that the JIT
	 * compiles the pull and the chain as one unit.
	 */
	private boolean fetchNext() {
		// the pull marks itself, then reads whether it may take the fast path; a close clears it
		IN_FAST_PULL.setRelease(this, true);
		if (this.fencedPulls) {
			// a stateful stage runs in master: the pull and a close cannot miss each other (Dekker)
			VarHandle.fullFence();
		}
		InMasterChain stages = (InMasterChain) FAST_PATH.getAcquire(this);
		if (stages == null) {
			IN_FAST_PULL.setRelease(this, false);
			return fetchOutsideTheLoop();
		}
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
					IN_FAST_PULL.setRelease(this, false);
					return true;
				}
				if (inputsDroppedUntilClosed()) {
					break;
				}
			}
		}
		catch (RunClosedException ex) {
			end(null);
			return false;
		}
		catch (RuntimeException | Error ex) {
			// not one handler for Throwable: the pull compiles better so
			end(ex);
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
			throw this.state.consumerInterrupted("its stages dropped input after input");
		}
		return this.state.isClosed();
	}

	/** The first pull, a pull of a chain with off-thread stages, or a pull after the end. */
	private boolean fetchOutsideTheLoop() {
		RunState state = this.state;
		if (state.hasEnded()) {
			return false;
		}
		boolean first = this.source == null;
		// the first pull's mark is fenced: either it sees a close that began, or that close sees it
		state.pullBegins(RunState.PULLING, first);
		try {
			boolean found = !state.isClosed() && (!first || start()) && pullStarted(first);
			if (!found) {
				end(null);
			}
			this.firstOutputFetched |= found;
			state.pullEnds();
			return found;
		}
		catch (RunClosedException ex) {
			end(null);
			return false;
		}
		catch (RuntimeException | Error ex) {
			end(ex);
			throw ex;
		}
	}

	/**
	 * The pull of a started run: through the chain, or the fast path's loop, which every later
	 * pull takes from the second on (the first output has been handed over by then).
	 */
	private boolean pullStarted(boolean first) {
		this.handedOver = !first;
		InMasterChain stages = this.chain.inMaster();
		if (stages == null) {
			return pullChain();
		}
		// a close that began meanwhile either sees the fast path set or is seen here (Dekker)
		FAST_PATH.setVolatile(this, stages);
		if (this.state.isClosed()) {
			FAST_PATH.setVolatile(this, null);
			return false;
		}
		boolean found = fetchNext();
		if (first) {
			FAST_PATH.setVolatile(this, null);
		}
		return found;
	}

	/** The next output of a chain with off-thread stages, waiting for it when needed. */
	private boolean pullChain() {
		if (--this.untilPublication == 0) {
			this.untilPublication = POSITION_PUBLICATION_INTERVAL;
			publishPosition();
		}
		RunState state = this.state;
		RunNode last = this.chain.last();
		int spins = 0;
		boolean parked = false;
		while (!state.isClosed()) {
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
				throw state.consumerInterrupted("waiting for output");
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
			state.consumerWaits();
			item = last.pollWhileWaiting();
			if (item != RunNode.NOT_READY) {
				state.consumerAwake();
				if (item == RunNode.END) {
					return false;
				}
				this.next = item;
				return true;
			}
			// a close that began before the consumer registered as waiter woke nobody
			if (!state.isClosed()) {
				LockSupport.parkNanos(this, PARK_NANOS);
			}
			state.consumerAwake();
		}
		return false;
	}

	/** Claims the stateful stages and assembles the chain; the consumer marked the pull first. */
	private boolean start() {
		this.resources.claimed(StatefulStageClaims.claim(this.parts.pipeline(), this.parts.stages()));
		this.chain = RunChainAssembler.assemble(this.parts, this.inputs, this.state);
		this.resources.started(this.chain);
		this.state.started();
		this.source = this.chain.source();
		if (this.chain.inMaster() != null) {
			this.chain.inMaster().reportPositions(this::publishBeforeItem);
		}
		this.parts.events().runStarted();
		return true;
	}

	/**
	 * Publishes {@code position}, which the fast path's chain gives before an item it times, once
	 * the first output has been handed over.
	 */
	private void publishBeforeItem(long position) {
		if (this.handedOver) {
			PUBLISHED_POSITION.setOpaque(this, position);
		}
	}

	/**
	 * The consumer's last step: fixes the position, publishes what it counted alone and closes
	 * the run.
	 */
	private void end(Throwable failure) {
		FAST_PATH.setVolatile(this, null);
		IN_FAST_PULL.setRelease(this, false);
		this.state.pullEnds();
		this.state.ended(failure);
		if (!this.positionFixed) {
			// exhausted, the k - 1 items a window still holds start no window: every input is done
			this.endPosition = (this.state.outcome() == RunOutcome.EXHAUSTED) ? this.source.heldOrigin()
					: currentPosition();
			this.positionFixed = true;
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
		RunState state = this.state;
		if (!state.beginClose()) {
			// a thread that close may wait for does not wait for close: a stage thread of this
			// run, or the consumer in a pull of it
			boolean inside = (self == state.consumer() && isPulling())
					|| (this.resources.chain() != null && this.resources.chain().isStageThread());
			if (!inside) {
				state.awaitClosed();
			}
			return;
		}
		FAST_PATH.setVolatile(this, null);
		Thread consumer = state.consumer();
		if (consumer == self && this.chain != null) {
			this.chain.publishCounts();
		}
		boolean interrupted = this.resources.stopChain();
		state.wakeConsumer();
		if (consumer != null && consumer != self) {
			interrupted |= awaitPullEnd();
			// a chain that the first pull started while this close began
			interrupted |= this.resources.stopChain();
		}
		this.resources.release();
		if (interrupted) {
			self.interrupt();
		}
	}

	/**
	 * Waits until the consumer is in no pull of this run, so that none of its in-master stage
	 * calls is still executing; a pull sees the close at its next step and ends.
	 * @return whether this thread was interrupted meanwhile
	 */
	private boolean awaitPullEnd() {
		boolean interrupted = false;
		long backoff = CLOSER_MIN_PARK_NANOS;
		Thread consumer = this.state.consumer();
		while (isPulling() && consumer.isAlive()) {
			LockSupport.parkNanos(this, backoff);
			backoff = Math.min(CLOSER_MAX_PARK_NANOS, backoff * 2);
			interrupted |= Thread.interrupted();
		}
		return interrupted;
	}

	/** Whether the consumer is in a pull of this run. */
	private boolean isPulling() {
		return (boolean) IN_FAST_PULL.getAcquire(this) || this.state.isPulling();
	}

	/** The stage calls of this run executing now, the consumer's in-master calls included. */
	List<StageCall> runningCalls() {
		List<StageCall> calls = new ArrayList<>();
		RunChain chain = this.resources.chain();
		if (chain != null) {
			calls.addAll(chain.runningCalls(this.parts.pipeline()));
		}
		StageCall consumerCall = this.state.consumerCall();
		if (consumerCall == null && (boolean) IN_FAST_PULL.getAcquire(this)) {
			consumerCall = this.state.consumerCall(RunState.IN_MASTER_CALLS);
		}
		if (consumerCall != null) {
			calls.add(consumerCall);
		}
		return calls;
	}

}
