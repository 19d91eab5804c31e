package io.github.blllib;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The engine's {@link PipelineRun} when a stage runs on other threads (else see
 * {@link InMasterPipelineRun}): builds the chain of nodes on the first pull and drives it from
 * the consuming thread, which waits (spinning briefly, then parked) until a stage signals
 * an output. Closing cancels every stage, waits until no stage code runs, and releases the
 * run's threads.
 */
final class OrderedPipelineRun<O> implements PipelineRun<O> {

	private static final int MAX_SPINS = 256;

	private static final VarHandle THREADS = MethodHandles.arrayElementVarHandle(Thread[].class);

	/** Index of the waiter in its padded cell: a cache line of references on each side. */
	private static final int WAITER = 16;

	/** Drainers wake a parked consumer; the timeout is only a safety net. */
	private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

	private final Pipeline<?, O> pipeline;

	private final Iterable<?> inputs;

	private final AtomicBoolean closed = new AtomicBoolean();

	private final Object lifecycle = new Object();

	private final List<DrainerGroup> drainerGroups = new ArrayList<>();

	private final List<ExecutorService> dedicatedExecutors = new ArrayList<>();

	/**
	 * The consuming thread while it is about to park or parked, else null, alone on its cache
	 * line: drainers read it after every chunk, the consumer writes its own fields per item.
	 */
	private final Thread[] waiterCell = new Thread[2 * WAITER + 1];

	private RunNode last;

	/** The thread that started the run; the only one that polls it. */
	private Thread consumer;

	private Object next;

	/**
	 * How long the consumer polls before parking, adapted like an adaptive lock: it grows when
	 * spinning found output (cheap stages) and shrinks when it had to park anyway (slow stages),
	 * so waiting for slow stages costs no CPU the workers could use.
	 */
	private int spinLimit = 64;

	private boolean ended;

	OrderedPipelineRun(Pipeline<?, O> pipeline, Iterable<?> inputs) {
		this.pipeline = pipeline;
		this.inputs = inputs;
	}

	@Override
	public boolean hasNext() {
		// small enough to inline into the consumer's loop; the rest is out of line
		return this.next != null || fetchNext();
	}

	private boolean fetchNext() {
		if (this.ended) {
			return false;
		}
		if (this.closed.get()) {
			end();
			return false;
		}
		try {
			if (this.last == null && !start()) {
				return false;
			}
			Object item = awaitNext();
			if (item == null) {
				end();
				return false;
			}
			this.next = item;
			return true;
		}
		catch (RuntimeException | Error ex) {
			end();
			throw ex;
		}
	}

	/** The consumer's last step: publishes what it counted alone and closes the run. */
	private void end() {
		this.ended = true;
		if (this.last != null) {
			this.last.publishCounts();
		}
		close();
	}

	@Override
	@SuppressWarnings("unchecked")
	public O next() {
		Object item = this.next;
		if (item == null) {
			if (!fetchNext()) {
				throw new NoSuchElementException("Pipeline '" + pipelineName() + "' has no more output");
			}
			item = this.next;
		}
		this.next = null;
		return (O) item;
	}

	/** The next output, or null when the run is exhausted or closed. */
	private Object awaitNext() {
		int spins = 0;
		boolean parked = false;
		while (!this.closed.get()) {
			Object item = this.last.poll();
			if (item == RunNode.END) {
				return null;
			}
			if (item != RunNode.NOT_READY) {
				if (spins > 0 && !parked) {
					this.spinLimit = Math.min(MAX_SPINS, this.spinLimit * 2);
				}
				return item;
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
			this.last.beforeWait();
			THREADS.setVolatile(this.waiterCell, WAITER, Thread.currentThread());
			item = this.last.poll();
			if (item != RunNode.NOT_READY) {
				THREADS.setVolatile(this.waiterCell, WAITER, null);
				return (item == RunNode.END) ? null : item;
			}
			LockSupport.parkNanos(this, PARK_NANOS);
			THREADS.setVolatile(this.waiterCell, WAITER, null);
			if (Thread.interrupted()) {
				Thread.currentThread().interrupt();
				throw new PipelineException(pipelineName(), "consumer", -1, "Pipeline '" + pipelineName()
						+ "': the consuming thread was interrupted while waiting for output", new InterruptedException());
			}
		}
		return null;
	}

	private boolean start() {
		synchronized (this.lifecycle) {
			if (this.closed.get()) {
				return false;
			}
			RunNode node = new SourceNode(pipelineName(), this.inputs);
			DrainerGroup workers = null;
			List<StageCounters> inMaster = new ArrayList<>();
			for (StageCounters counters : this.pipeline.counters()) {
				StageSpec<?, ?> spec = counters.spec();
				if (spec.isRunInMaster()) {
					inMaster.add(counters);
					continue;
				}
				node = inMasterSegment(node, inMaster);
				if (spec.kind() == StageKind.WINDOW) {
					node = new SlidingWindowNode(node, spec.window());
				}
				if (spec.kind() == StageKind.STATEFUL) {
					ExecutorService dedicated = this.pipeline.dedicatedExecutors().open(pipelineName(), spec.name());
					this.dedicatedExecutors.add(dedicated);
					DrainerGroup own = addGroup(new DrainerGroup(dedicated, 1));
					node = new ParallelStageNode(this, node, counters, own, spec.batchSize(),
							Math.max(1, spec.batchSize() / 4));
				}
				else {
					if (workers == null) {
						workers = addGroup(new DrainerGroup(this.pipeline.workerPool(), this.pipeline.nCpu()));
					}
					int chunk = Math.min(128, Math.max(1, spec.batchSize() / (2 * this.pipeline.nCpu())));
					node = new ParallelStageNode(this, node, counters, workers, chunk, chunk);
				}
			}
			node = inMasterSegment(node, inMaster);
			this.last = node;
			this.consumer = Thread.currentThread();
		}
		this.pipeline.runStarted();
		return true;
	}

	/** Fuses the pending in-master stages, if any, into one node after {@code upstream}. */
	private RunNode inMasterSegment(RunNode upstream, List<StageCounters> pending) {
		if (pending.isEmpty()) {
			return upstream;
		}
		RunNode segment = new InMasterSegmentNode(pipelineName(), upstream, List.copyOf(pending));
		pending.clear();
		return segment;
	}

	private DrainerGroup addGroup(DrainerGroup group) {
		this.drainerGroups.add(group);
		return group;
	}

	/** The consuming thread while it is about to park or parked, else null. */
	Thread waiter() {
		return (Thread) THREADS.getVolatile(this.waiterCell, WAITER);
	}

	private void signalConsumer() {
		Thread thread = waiter();
		if (thread != null) {
			LockSupport.unpark(thread);
		}
	}

	String pipelineName() {
		return this.pipeline.name();
	}

	boolean isClosed() {
		return this.closed.get();
	}

	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		boolean interrupted = false;
		synchronized (this.lifecycle) {
			if (this.consumer == Thread.currentThread()) {
				this.last.publishCounts();
			}
			this.drainerGroups.forEach(DrainerGroup::cancel);
			for (DrainerGroup group : this.drainerGroups) {
				interrupted |= awaitUninterruptibly(group);
			}
			for (ExecutorService executor : this.dedicatedExecutors) {
				executor.shutdownNow();
			}
			for (ExecutorService executor : this.dedicatedExecutors) {
				interrupted |= awaitTermination(executor);
			}
		}
		this.pipeline.counters().forEach((counters) -> counters.inFlight(0));
		this.pipeline.runEnded(this);
		signalConsumer();
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

	private static boolean awaitUninterruptibly(DrainerGroup group) {
		boolean interrupted = false;
		while (true) {
			try {
				group.awaitDrainers();
				return interrupted;
			}
			catch (InterruptedException ex) {
				interrupted = true;
			}
		}
	}

	private static boolean awaitTermination(ExecutorService executor) {
		boolean interrupted = false;
		while (true) {
			try {
				if (executor.awaitTermination(1, TimeUnit.MINUTES)) {
					return interrupted;
				}
			}
			catch (InterruptedException ex) {
				interrupted = true;
			}
		}
	}

}
