package io.github.blllib;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A stage run off the consuming thread, with at most its batch size of items in flight.
 *
 * <p>The consuming thread appends inputs to a ring of slots and publishes them; drainer tasks
 * on the executor claim published slots in chunks, run the stage and write each output into
 * its slot; the consuming thread hands outputs downstream strictly in slot order. A stateful
 * stage has one drainer on its dedicated thread, so its calls stay sequential and in order; a
 * stateless stage has up to n-cpu drainers on the shared pool. Handing items over in chunks
 * keeps the cost per item low when the stage is cheap, and each output is visible as soon as
 * it is written, so a slow item delays only the items behind it.
 */
final class ParallelStageNode extends RunNode {

	private static final Object DROPPED = new Object();

	private final OrderedPipelineRun<?> run;

	private final RunNode upstream;

	private final Stage<Object, Object> stage;

	private final StageCounters counters;

	private final DrainerGroup drainers;

	private final int capacity;

	private final int mask;

	private final int chunk;

	private final int refillThreshold;


	private final Object[] inputs;

	/** Outputs by slot; a slot's output is ready when {@link #done} holds its position. */
	private final Object[] outputs;

	private final long[] done;

	private static final VarHandle WAITING_HEAD;

	private static final VarHandle DONE = MethodHandles.arrayElementVarHandle(long[].class);

	static {
		try {
			WAITING_HEAD = MethodHandles.lookup().findVarHandle(ParallelStageNode.class, "waitingHead", long.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	// Written and read by the consuming thread only.
	private long head;

	/** The head as the consumer last saw it before parking; read by drainers. */
	private long waitingHead;

	private long tail;

	private boolean upstreamEnded;

	// Shared with drainers.
	private volatile long published;

	private final AtomicLong claimed = new AtomicLong();

	@SuppressWarnings("unchecked")
	ParallelStageNode(OrderedPipelineRun<?> run, RunNode upstream, StageCounters counters, DrainerGroup drainers,
			int chunk, int refillThreshold) {
		this.run = run;
		this.upstream = upstream;
		this.stage = (Stage<Object, Object>) counters.spec().stage();
		this.counters = counters;
		this.drainers = drainers;
		this.capacity = counters.spec().batchSize();
		int ringSize = Integer.highestOneBit(Math.max(1, this.capacity - 1)) << 1;
		this.mask = ringSize - 1;
		this.inputs = new Object[ringSize];
		this.outputs = new Object[ringSize];
		this.done = new long[ringSize];
		java.util.Arrays.fill(this.done, -1);
		drainers.add(this);
		this.chunk = Math.max(1, chunk);
		this.refillThreshold = Math.max(1, Math.min(refillThreshold, this.capacity));
	}

	@Override
	void beforeWait() {
		WAITING_HEAD.setOpaque(this, this.head);
		this.upstream.beforeWait();
	}

	@Override
	Object poll() {
		while (true) {
			fill();
			if (this.head == this.tail) {
				return this.upstreamEnded ? END : NOT_READY;
			}
			long index = this.head;
			int slot = (int) (index & this.mask);
			if ((long) DONE.getAcquire(this.done, slot) != index) {
				return NOT_READY;
			}
			Object output = this.outputs[slot];
			this.outputs[slot] = null;
			this.head = index + 1;
			this.counters.inFlight((int) (this.tail - this.head));
			if (output instanceof Failure failure) {
				throw new PipelineException(this.run.pipelineName(), this.counters.stage(), index, failure.cause);
			}
			if (output != DROPPED) {
				return output;
			}
		}
	}

	/** Tops the stage up from upstream, in chunks, within the batch size. */
	private void fill() {
		if (this.upstreamEnded) {
			return;
		}
		long free = this.capacity - (this.tail - this.head);
		if (free < this.refillThreshold && this.tail != this.head) {
			return;
		}
		long before = this.tail;
		while (this.tail - this.head < this.capacity) {
			Object item = this.upstream.poll();
			if (item == NOT_READY) {
				break;
			}
			if (item == END) {
				this.upstreamEnded = true;
				break;
			}
			this.inputs[(int) (this.tail & this.mask)] = item;
			this.tail++;
		}
		if (this.tail != before) {
			this.published = this.tail;
			this.counters.inFlight((int) (this.tail - this.head));
			startDrainers();
		}
	}

	private void startDrainers() {
		long unclaimed = this.published - this.claimed.get();
		try {
			this.drainers.workPublished((unclaimed + this.chunk - 1) / this.chunk);
		}
		catch (RejectedExecutionException ex) {
			if (!this.run.isClosed()) {
				throw new PipelineException(this.run.pipelineName(), this.counters.stage(), this.claimed.get(),
						"Stage '" + this.counters.stage() + "' of pipeline '" + this.run.pipelineName()
								+ "': its executor rejected work",
						ex);
			}
		}
	}

	/** Whether published items wait for a drainer. */
	boolean hasUnclaimedWork() {
		return this.claimed.get() < this.published;
	}

	/** Claims the next published chunk and runs it; false when there is none. Drainer threads. */
	boolean runNextChunk() {
		while (true) {
			long start = this.claimed.get();
			long end = Math.min(this.published, start + this.chunk);
			if (start >= end) {
				return false;
			}
			if (this.claimed.compareAndSet(start, end)) {
				this.counters.threadStarted();
				try {
					runChunk(start, end);
				}
				finally {
					this.counters.threadEnded();
				}
				return true;
			}
		}
	}

	private void runChunk(long start, long end) {
		int succeeded = 0;
		int dropped = 0;
		int failed = 0;
		long began = System.nanoTime();
		for (long position = start; position < end && !this.drainers.isCancelled(); position++) {
			int slot = (int) (position & this.mask);
			Object input = this.inputs[slot];
			this.inputs[slot] = null;
			Object output;
			try {
				output = this.stage.apply(input);
				if (output == null) {
					output = DROPPED;
					dropped++;
				}
				else {
					succeeded++;
				}
			}
			catch (Throwable ex) {
				output = new Failure(ex);
				failed++;
			}
			this.outputs[slot] = output;
			DONE.setRelease(this.done, slot, position);
			// a cheap early wake-up for a consumer already parked on this head
			signalIfHeadIn(position, position + 1);
		}
		this.counters.finished(succeeded, dropped, failed, System.nanoTime() - began);
		// Dekker with the consumer, which publishes itself as waiter and then re-reads outputs:
		// after this fence either it saw our outputs or we see it waiting
		VarHandle.fullFence();
		signalIfHeadIn(start, end);
	}

	/**
	 * Wakes a waiting consumer when this stage's head is among the finished positions: only a
	 * head's completion lets the consumer move on. Reads the waiter before the head, the
	 * reverse of the consumer's order.
	 */
	private void signalIfHeadIn(long from, long to) {
		Thread waiter = this.run.waiter();
		if (waiter != null) {
			long head = (long) WAITING_HEAD.getOpaque(this);
			if (head >= from && head < to) {
				LockSupport.unpark(waiter);
			}
		}
	}

	private record Failure(Throwable cause) {
	}

}
