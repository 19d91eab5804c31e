package io.github.blllib;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
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

	private static final VarHandle PULLS;

	static {
		try {
			PULLS = MethodHandles.lookup().findVarHandle(OrderedRun.class, "pulls", long.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final RunParts parts;

	private final Iterable<?> inputs;

	private final RunSignals signals = new RunSignals();

	/** Orders the first pull's start against a close from another thread. */
	private final Object lifecycle = new Object();

	/** Counted down once the close that won has released everything. */
	private final CountDownLatch closed = new CountDownLatch(1);

	/** Pulls begun and ended by the consumer: odd while one is in progress. Consumer writes only. */
	@SuppressWarnings("unused")
	private long pulls;

	/** A thread closing the run that waits for the consumer's pull to end, else null. */
	private volatile Thread closer;

	private RunChain chain;

	/** The thread that started the run; the only one that pulls it. */
	private Thread consumer;

	private List<Object> claimedStages = List.of();

	private Object next;

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
		return (O) item;
	}

	private boolean fetchNext() {
		if (this.ended) {
			return false;
		}
		PULLS.setOpaque(this, this.pulls + 1);
		try {
			boolean found = !this.signals.isClosed() && (this.chain != null || start())
					&& ((this.chain.inMaster() != null) ? pullInMaster() : pullChain());
			if (!found) {
				end();
			}
			return found;
		}
		catch (RuntimeException | Error ex) {
			end();
			throw ex;
		}
		finally {
			leavePull();
		}
	}

	/** The pull of a run with no off-thread stage: the source through one chain, no waiting. */
	private boolean pullInMaster() {
		SourceNode source = this.chain.source();
		InMasterChain stages = this.chain.inMaster();
		while (true) {
			Object item = source.poll();
			if (item == RunNode.END) {
				return false;
			}
			Object output = stages.accept(item);
			if (output != null) {
				this.next = output;
				return true;
			}
			// input after input dropped: still notice a close from another thread or an interrupt
			if (this.signals.isClosed()) {
				return false;
			}
			if (Thread.currentThread().isInterrupted()) {
				throw consumerInterrupted();
			}
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
			last.beforeWait();
			this.signals.consumerWaits();
			item = last.poll();
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
			this.claimedStages = StatefulStageClaims.claim(this.parts.pipeline(), this.parts.stages());
			this.chain = RunChainAssembler.assemble(this.parts, this.inputs, this.signals);
		}
		this.parts.events().runStarted();
		return true;
	}

	/** Ends the consumer's pull: from now on no stage code runs on the consumer for this run. */
	private void leavePull() {
		long pulls = this.pulls;
		if ((pulls & 1) == 1) {
			PULLS.setRelease(this, pulls + 1);
			if (this.signals.isClosed()) {
				Thread waiting = this.closer;
				if (waiting != null) {
					LockSupport.unpark(waiting);
				}
			}
		}
	}

	/** The consumer's last step: publishes what it counted alone and closes the run. */
	private void end() {
		this.ended = true;
		this.next = null;
		if (this.chain != null) {
			this.chain.publishCounts();
		}
		leavePull();
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
				interrupted = this.chain.stop();
			}
		}
		this.signals.wakeConsumer();
		if (consumer != null && consumer != self) {
			interrupted |= awaitConsumerPull(consumer);
		}
		this.parts.counters().forEach((counters) -> counters.inFlight(0));
		StatefulStageClaims.release(this.claimedStages);
		this.parts.events().runEnded(this);
		this.closed.countDown();
		if (interrupted) {
			self.interrupt();
		}
	}

	/**
	 * Waits until the close that won has released everything, unless this thread is one that
	 * close waits for: a stage thread of this run, or the consumer in the middle of a pull.
	 */
	private void awaitClosed(Thread self) {
		boolean consumerInPull = self == this.consumer && (this.pulls & 1) == 1;
		if (consumerInPull || (this.chain != null && this.chain.isStageThread())) {
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
	 * Waits until the consumer is in no pull of this run, so that none of its in-master stage
	 * calls is still executing. The consumer marks a pull with plain stores, without a fence
	 * on its hot path; so, when no pull seems to be in progress, this thread first brings the
	 * consumer to a safepoint (a stack trace does), after which the consumer's mark is visible
	 * here and the closed flag is visible to its next pull.
	 * @return whether this thread was interrupted meanwhile
	 */
	private boolean awaitConsumerPull(Thread consumer) {
		this.closer = Thread.currentThread();
		long pulls = (long) PULLS.getVolatile(this);
		if ((pulls & 1) == 0) {
			consumer.getStackTrace();
			pulls = (long) PULLS.getVolatile(this);
		}
		boolean interrupted = false;
		while ((pulls & 1) == 1 && (long) PULLS.getVolatile(this) == pulls) {
			LockSupport.parkNanos(this, PARK_NANOS);
			interrupted |= Thread.interrupted();
		}
		this.closer = null;
		return interrupted;
	}

}
