package io.github.blllib;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

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

	private static final int DRAINER_SPINS = 64;

	private final OrderedPipelineRun<?> run;

	private final RunNode upstream;

	private final Stage<Object, Object> stage;

	private final StageCounters counters;

	private final Executor executor;

	private final int capacity;

	private final int mask;

	private final int chunk;

	private final int refillThreshold;

	private final int maxDrainers;

	private final Object[] inputs;

	private final AtomicReferenceArray<Object> outputs;

	// Written and read by the consuming thread only.
	private long head;

	private long tail;

	private boolean upstreamEnded;

	// Shared with drainers.
	private volatile long published;

	private final AtomicLong claimed = new AtomicLong();

	private final AtomicInteger drainers = new AtomicInteger();

	private final AtomicInteger idleDrainers = new AtomicInteger();

	private final Set<Thread> runningThreads = new HashSet<>();

	private volatile boolean cancelled;

	@SuppressWarnings("unchecked")
	ParallelStageNode(OrderedPipelineRun<?> run, RunNode upstream, StageCounters counters, Executor executor,
			int maxDrainers, int chunk, int refillThreshold) {
		this.run = run;
		this.upstream = upstream;
		this.stage = (Stage<Object, Object>) counters.spec().stage();
		this.counters = counters;
		this.executor = executor;
		this.capacity = counters.spec().batchSize();
		int ringSize = Integer.highestOneBit(Math.max(1, this.capacity - 1)) << 1;
		this.mask = ringSize - 1;
		this.inputs = new Object[ringSize];
		this.outputs = new AtomicReferenceArray<>(ringSize);
		this.maxDrainers = maxDrainers;
		this.chunk = Math.max(1, chunk);
		this.refillThreshold = Math.max(1, Math.min(refillThreshold, this.capacity));
	}

	@Override
	Object poll() {
		while (true) {
			fill();
			if (this.head == this.tail) {
				return this.upstreamEnded ? END : NOT_READY;
			}
			int slot = (int) (this.head & this.mask);
			Object output = this.outputs.get(slot);
			if (output == null) {
				return NOT_READY;
			}
			this.outputs.lazySet(slot, null);
			long index = this.head++;
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

	/**
	 * Starts a drainer for each published chunk that no idle drainer is waiting to take, up to
	 * the stage's drainer limit: a drainer busy in a slow call takes nothing new.
	 */
	private void startDrainers() {
		long unclaimed = this.published - this.claimed.get();
		long toStart = (unclaimed + this.chunk - 1) / this.chunk - this.idleDrainers.get();
		for (; toStart > 0; toStart--) {
			int running = this.drainers.get();
			if (running >= this.maxDrainers) {
				return;
			}
			if (!this.drainers.compareAndSet(running, running + 1)) {
				toStart++;
				continue;
			}
			try {
				this.executor.execute(this::drain);
			}
			catch (RejectedExecutionException ex) {
				drainerExited();
				if (!this.run.isClosed()) {
					throw new PipelineException(this.run.pipelineName(), this.counters.stage(), this.claimed.get(),
							"Stage '" + this.counters.stage() + "' of pipeline '" + this.run.pipelineName()
									+ "': its executor rejected work",
							ex);
				}
				return;
			}
		}
	}

	private void drain() {
		Thread thread = Thread.currentThread();
		synchronized (this.runningThreads) {
			if (this.cancelled) {
				drainerExited();
				return;
			}
			this.runningThreads.add(thread);
		}
		boolean counted = true;
		try {
			do {
				this.counters.threadStarted();
				try {
					runClaimedChunks();
				}
				finally {
					this.counters.threadEnded();
				}
				counted = false;
			}
			while (counted = stayAfterIdle());
		}
		finally {
			if (counted) {
				drainerExited();
			}
			synchronized (this.runningThreads) {
				this.runningThreads.remove(thread);
			}
			if (this.cancelled) {
				// the interrupt, if any, was ours: do not leak it into the pool's next task
				Thread.interrupted();
			}
		}
	}

	private void runClaimedChunks() {
		while (!this.cancelled) {
			long start = this.claimed.get();
			long end = Math.min(this.published, start + this.chunk);
			if (start >= end) {
				if (!awaitWorkBriefly()) {
					return;
				}
				continue;
			}
			if (this.claimed.compareAndSet(start, end)) {
				runChunk(start, end);
			}
		}
	}

	/** Spins a little for more work before the drainer gives its thread back. */
	private boolean awaitWorkBriefly() {
		this.idleDrainers.incrementAndGet();
		try {
			for (int spin = 0; spin < DRAINER_SPINS; spin++) {
				if (this.claimed.get() < this.published || this.cancelled) {
					return true;
				}
				Thread.onSpinWait();
			}
			return this.claimed.get() < this.published;
		}
		finally {
			this.idleDrainers.decrementAndGet();
		}
	}

	/** Leaves the drainer count; stays only when work arrived meanwhile and a place is free. */
	private boolean stayAfterIdle() {
		drainerExited();
		while (!this.cancelled && this.claimed.get() < this.published) {
			int running = this.drainers.get();
			if (running >= this.maxDrainers) {
				return false;
			}
			if (this.drainers.compareAndSet(running, running + 1)) {
				return true;
			}
		}
		return false;
	}

	private void drainerExited() {
		this.drainers.decrementAndGet();
		if (this.cancelled) {
			synchronized (this.runningThreads) {
				this.runningThreads.notifyAll();
			}
		}
	}

	private void runChunk(long start, long end) {
		int succeeded = 0;
		int dropped = 0;
		int failed = 0;
		long began = System.nanoTime();
		for (long position = start; position < end && !this.cancelled; position++) {
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
			this.outputs.set(slot, output);
			this.run.signalConsumer();
		}
		this.counters.finished(succeeded, dropped, failed, System.nanoTime() - began);
	}

	/** Stops drainers: no new chunk starts and running calls are interrupted. Any thread. */
	void cancel() {
		synchronized (this.runningThreads) {
			this.cancelled = true;
			this.runningThreads.forEach(Thread::interrupt);
		}
	}

	/** Waits until no drainer of this stage runs user code any more. Call after {@link #cancel()}. */
	void awaitDrainers() throws InterruptedException {
		synchronized (this.runningThreads) {
			while (this.drainers.get() > 0) {
				this.runningThreads.wait();
			}
		}
	}

	private record Failure(Throwable cause) {
	}

}
