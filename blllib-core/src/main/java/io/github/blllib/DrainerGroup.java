package io.github.blllib;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The threads that run a set of parallel stages during one run: at most {@code maxDrainers}
 * drainer tasks on one executor, each taking published chunks from any of the group's stages
 * until none is left. The stateless and window stages of a run share one group sized n-cpu, the
 * seed's shared pool; a stateful stage has a group of its own with one drainer on its dedicated
 * thread, so its calls stay sequential and in order.
 *
 * <p>A drainer that runs out of work spins briefly, then gives its thread back; the consuming
 * thread starts drainers when it publishes chunks that no idle drainer is waiting to take.
 *
 * <p>A call whose deadline passed while its thread is still in it (a stage that ignores the
 * interrupt) is <em>stuck</em>: its thread, which may be the executor's last free one, works
 * for no one. For each stuck call the group may run one rescue drainer on a thread of its own
 * ({@code blllib-<pipeline>-rescue-n}), so the rest of the run goes on; a rescue drainer leaves
 * as soon as it finds no work or stuck calls no longer outnumber the rescue drainers. Only a
 * stage with a timeout reports stuck calls, and only on the shared pool: a stateful stage's one
 * thread keeps its order.
 */
final class DrainerGroup {

	private static final int IDLE_SPINS = 64;

	/** {@code Thread.isVirtual()} on Java 21+, null before: the baseline is Java 17. */
	private static final MethodHandle IS_VIRTUAL = isVirtualHandle();

	private final Executor executor;

	private final int maxDrainers;

	/** The run's state: once it is closing, no stage code of the group starts. */
	private final RunState run;

	/** The drainer group whose stage code the current thread runs, if any. */
	private static final ThreadLocal<DrainerGroup> current = new ThreadLocal<>();

	private final List<ParallelStageNode> stageList = new ArrayList<>();

	private ParallelStageNode[] stages = new ParallelStageNode[0];

	private final AtomicInteger drainers = new AtomicInteger();

	private final AtomicInteger idleDrainers = new AtomicInteger();

	/** Calls whose deadline passed while their thread is still in them. */
	private final AtomicInteger stuckCalls = new AtomicInteger();

	/** Rescue drainers running, at most {@link #stuckCalls} when each started. */
	private final AtomicInteger rescueDrainers = new AtomicInteger();

	/** The threads of the rescue drainers, made on first need; guarded by {@link #running}. */
	private NamedThreadFactory rescueThreads;

	/** The call each thread running the group's stage code is in; guarded by itself. */
	private final Map<Thread, StageCallSite> running = new HashMap<>();

	/** The last thread that ran the group's stage code: a stateful stage's dedicated thread. */
	private volatile Thread lastThread;

	DrainerGroup(Executor executor, int maxDrainers, RunState run) {
		this.executor = executor;
		this.maxDrainers = maxDrainers;
		this.run = run;
	}

	/** Adds a stage while the run is assembled, before any work is published. */
	void add(ParallelStageNode stage) {
		this.stageList.add(stage);
		// downstream stages first: finishing them frees capacity and reaches the consumer sooner
		List<ParallelStageNode> order = new ArrayList<>(this.stageList);
		Collections.reverse(order);
		this.stages = order.toArray(new ParallelStageNode[0]);
	}

	/** Whether the run is closing: drainers stop between two items. */
	boolean isCancelled() {
		return this.run.isClosed();
	}

	/**
	 * Called by the consuming thread after publishing work: starts a drainer for each unclaimed
	 * chunk that no idle drainer is waiting to take, up to the limit.
	 * @throws RejectedExecutionException when the executor refuses a drainer
	 */
	void workPublished(long unclaimedChunks) {
		long toStart = unclaimedChunks - this.idleDrainers.get();
		while (toStart > 0) {
			int running = this.drainers.get();
			if (running >= this.maxDrainers) {
				if (this.stuckCalls.get() > 0) {
					rescue(toStart);
				}
				return;
			}
			if (!this.drainers.compareAndSet(running, running + 1)) {
				continue;
			}
			toStart--;
			try {
				this.executor.execute(this::drain);
			}
			catch (RejectedExecutionException ex) {
				drainerExited();
				throw ex;
			}
		}
	}

	/** A call's deadline passed while its thread is still in it. Any thread. */
	void callStuck() {
		this.stuckCalls.incrementAndGet();
	}

	/** A stuck call returned; its thread is a drainer again. The call's thread. */
	void stuckCallReturned() {
		this.stuckCalls.decrementAndGet();
	}

	/**
	 * Starts up to {@code wanted} rescue drainers for the published work, while stuck calls
	 * outnumber the rescue drainers. Any thread.
	 */
	void rescue(long wanted) {
		for (long started = 0; started < wanted && hasRescueWork();) {
			int rescuers = this.rescueDrainers.get();
			if (rescuers >= this.stuckCalls.get()) {
				return;
			}
			if (this.rescueDrainers.compareAndSet(rescuers, rescuers + 1)) {
				if (!startRescueThread()) {
					return;
				}
				started++;
			}
		}
	}

	/** Starts a rescue drainer when a stuck call may hold the thread that work waits for. Any thread. */
	void rescueIfStuck() {
		if (this.stuckCalls.get() > 0) {
			rescue(1);
		}
	}

	/** Whether published items or due retries wait for a drainer. */
	private boolean hasRescueWork() {
		if (hasUnclaimedWork(this.stages)) {
			return true;
		}
		for (ParallelStageNode stage : this.stages) {
			if (stage.hasDueRetry()) {
				return true;
			}
		}
		return false;
	}

	/** Starts a counted rescue drainer; false, uncounting it, when the run is closing. */
	private boolean startRescueThread() {
		boolean started = false;
		try {
			// under the lock a close takes to wait for the group's threads: it sees this one alive
			synchronized (this.running) {
				if (!this.run.isClosed()) {
					if (this.rescueThreads == null) {
						this.rescueThreads = new NamedThreadFactory("blllib-" + this.run.pipeline() + "-rescue", true);
					}
					this.rescueThreads.newThread(this::rescueDrain).start();
					started = true;
				}
			}
		}
		finally {
			if (!started) {
				this.rescueDrainers.decrementAndGet();
			}
		}
		return started;
	}

	private void rescueDrain() {
		StageCallSite site = enter();
		boolean counted = true;
		try {
			while (site != null && !this.run.isClosed()) {
				if (!rescueStillNeeded()) {
					counted = false;
					return;
				}
				boolean worked = false;
				for (ParallelStageNode stage : this.stages) {
					worked |= stage.runNextChunk(site) | stage.runNextDueRetry(site);
				}
				if (!worked && !awaitWorkBriefly(this.stages)) {
					counted = stayRescuing();
					if (!counted) {
						return;
					}
				}
			}
		}
		finally {
			if (counted) {
				this.rescueDrainers.decrementAndGet();
			}
			if (site != null) {
				leave(site);
			}
		}
	}

	/** True while stuck calls are as many as the rescue drainers; else leaves their count. */
	private boolean rescueStillNeeded() {
		while (true) {
			int rescuers = this.rescueDrainers.get();
			if (rescuers <= this.stuckCalls.get()) {
				return true;
			}
			if (this.rescueDrainers.compareAndSet(rescuers, rescuers - 1)) {
				return false;
			}
		}
	}

	/** Leaves the rescue count; stays only when work arrived meanwhile and a stuck call still needs it. */
	private boolean stayRescuing() {
		this.rescueDrainers.decrementAndGet();
		while (!this.run.isClosed() && hasRescueWork()) {
			int rescuers = this.rescueDrainers.get();
			if (rescuers >= this.stuckCalls.get()) {
				return false;
			}
			if (this.rescueDrainers.compareAndSet(rescuers, rescuers + 1)) {
				return true;
			}
		}
		return false;
	}

	/** Whether the current thread is running a stage of some run, as a drainer. */
	static boolean isDrainerThread() {
		return current.get() != null;
	}

	/** Whether the current thread is a drainer of this group. */
	boolean isCurrentThreadDrainer() {
		return current.get() == this;
	}

	private void drain() {
		StageCallSite site = enter();
		if (site == null) {
			this.drainers.decrementAndGet();
			return;
		}
		boolean counted = true;
		try {
			do {
				runAvailableChunks(site);
				counted = false;
			}
			while (counted = stayAfterIdle());
		}
		finally {
			if (counted) {
				this.drainers.decrementAndGet();
			}
			leave(site);
		}
	}

	/**
	 * Runs the chunks available now on the calling thread, a consumer that would otherwise wait
	 * for them while it is itself a pool worker: a stage that runs a nested pipeline on the pool
	 * it runs on would deadlock once every worker waits so.
	 * @return whether it ran any
	 */
	boolean help() {
		StageCallSite site = enter();
		if (site == null) {
			return false;
		}
		try {
			boolean worked = false;
			for (ParallelStageNode stage : this.stages) {
				worked |= stage.runNextChunk(site);
			}
			return worked;
		}
		finally {
			leave(site);
		}
	}

	/**
	 * Runs {@code work} on the group's executor as stage code of the group: a close interrupts
	 * and waits for it; nothing runs once the run is closing.
	 * @throws RejectedExecutionException when the executor refuses it
	 */
	void runDetached(Consumer<StageCallSite> work) {
		this.executor.execute(() -> {
			StageCallSite site = enter();
			if (site == null) {
				return;
			}
			try {
				work.accept(site);
			}
			finally {
				leave(site);
			}
		});
	}

	/** Registers the current thread as running the group's stage code; null once the run is closing. */
	private StageCallSite enter() {
		Thread thread = Thread.currentThread();
		StageCallSite site = new StageCallSite(thread, current.get());
		synchronized (this.running) {
			if (this.run.isClosed()) {
				return null;
			}
			this.running.put(thread, site);
		}
		current.set(this);
		this.lastThread = thread;
		return site;
	}

	private void leave(StageCallSite site) {
		current.set(site.outer());
		synchronized (this.running) {
			this.running.remove(site.thread());
			if (this.run.isClosed()) {
				this.running.notifyAll();
			}
		}
		if (this.run.isClosed() && site.outer() == null) {
			// the interrupt, if any, was ours: do not leak it into the pool's next task
			Thread.interrupted();
		}
	}

	private void runAvailableChunks(StageCallSite site) {
		ParallelStageNode[] stages = this.stages;
		// a virtual thread that spins holds one of the few carrier threads every other virtual
		// thread needs: it leaves as soon as it finds no work
		boolean spinWhenIdle = !isVirtual(Thread.currentThread());
		while (!this.run.isClosed()) {
			boolean worked = false;
			for (ParallelStageNode stage : stages) {
				worked |= stage.runNextChunk(site);
			}
			if (!worked && !(spinWhenIdle ? awaitWorkBriefly(stages) : hasUnclaimedWork(stages))) {
				return;
			}
		}
	}

	private static boolean isVirtual(Thread thread) {
		if (IS_VIRTUAL == null) {
			return false;
		}
		try {
			return (boolean) IS_VIRTUAL.invokeExact(thread);
		}
		catch (Throwable ex) {
			return false;
		}
	}

	private static MethodHandle isVirtualHandle() {
		try {
			return MethodHandles.publicLookup()
				.findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
		}
		catch (NoSuchMethodException | IllegalAccessException ex) {
			return null;
		}
	}

	/** The last thread that ran the group's stage code, or null. */
	Thread lastThread() {
		return this.lastThread;
	}

	/** The stage calls running now on the group's threads. */
	List<StageCall> runningCalls(String pipeline) {
		synchronized (this.running) {
			return this.running.values()
				.stream()
				.filter(StageCallSite::inCall)
				.map((site) -> site.toCall(pipeline))
				.toList();
		}
	}

	private boolean awaitWorkBriefly(ParallelStageNode[] stages) {
		this.idleDrainers.incrementAndGet();
		try {
			for (int spin = 0; spin < IDLE_SPINS; spin++) {
				if (this.run.isClosed() || hasUnclaimedWork(stages)) {
					return true;
				}
				Thread.onSpinWait();
			}
			return hasUnclaimedWork(stages);
		}
		finally {
			this.idleDrainers.decrementAndGet();
		}
	}

	private static boolean hasUnclaimedWork(ParallelStageNode[] stages) {
		for (ParallelStageNode stage : stages) {
			if (stage.hasClaimableWork()) {
				return true;
			}
		}
		return false;
	}

	/** Leaves the drainer count; stays only when work arrived meanwhile and a place is free. */
	private boolean stayAfterIdle() {
		drainerExited();
		while (!this.run.isClosed() && hasUnclaimedWork(this.stages)) {
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
	}

	/**
	 * Interrupts the stage calls running now, once the run is closing (so that no new chunk
	 * starts). Any thread.
	 */
	void cancel() {
		synchronized (this.running) {
			this.running.keySet().forEach(Thread::interrupt);
		}
	}

	/**
	 * Waits until no other thread runs the group's stage code any more (a stage that closes its
	 * own run cannot wait for itself), and the rescue drainers' threads have ended. Call after
	 * {@link #cancel()}: drainers still queued on the executor then exit without running
	 * anything, so they are not waited for (an executor shut down meanwhile may never run them).
	 */
	void awaitDrainers() throws InterruptedException {
		Thread self = Thread.currentThread();
		List<Thread> rescuers;
		synchronized (this.running) {
			while (!this.running.isEmpty() && !(this.running.size() == 1 && this.running.containsKey(self))) {
				this.running.wait();
			}
			rescuers = (this.rescueThreads != null) ? this.rescueThreads.threads() : List.of();
		}
		for (Thread rescuer : rescuers) {
			if (rescuer != self) {
				// it has left the group's stage code: it ends without running anything more
				rescuer.join();
			}
		}
	}

}
