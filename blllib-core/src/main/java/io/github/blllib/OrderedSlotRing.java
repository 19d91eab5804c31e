package io.github.blllib;

import java.lang.invoke.MethodHandles;
import java.lang.ref.WeakReference;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The ordered slots of a stage run off the consuming thread: at most its batch size of items in
 * flight, each in the slot of its position, handed downstream strictly in position order. The
 * consuming thread tops the ring up from upstream and {@link #launch launches} the new items; a
 * node kind adds only how (drainers claiming published chunks, or a call returning a future);
 * whichever thread ends an item's call settles its slot, exactly once.
 *
 * <p>Memory order, the one protocol of every node kind:
 * <ul>
 * <li>A settling thread writes the outcome plainly, then the position into the slot's
 * {@code settled} cell with release; the consumer reads that cell with acquire, then the outcome.
 * Slots are overwritten, never cleared: clearing would bounce cache lines between threads, and
 * what a ring holds is bounded by its size.</li>
 * <li>Waking is Dekker's: after its release store(s) a settling thread issues a full fence, then
 * reads the run's waiter (volatile) and the awaited head (opaque), and unparks the waiter when
 * that head is among the positions it settled. The consumer publishes the awaited head (opaque,
 * {@link #beforeWait()}), then itself as waiter (volatile), fences and polls again before it
 * parks ({@link RunNode#pollWhileWaiting()}): either it sees the outcome, or the settler sees it
 * waiting for it.</li>
 * <li>Published items reach drainers through the volatile {@code published} position, written
 * after the items; drainers claim them by CAS on {@code claimed}. The two positions sit on cache
 * lines of their own.</li>
 * </ul>
 *
 * <p>A full ring that the batch size lets grow grows at once, busy or not: positions from the
 * tail on go to a larger generation of slots, while the positions already taken finish in the one
 * they are in, which is dropped once the head has passed them.
 */
abstract class OrderedSlotRing extends RunNode {

	/** The outcome of a call that returned null: the item vanishes. */
	static final Object DROPPED = new Object();

	/** Slots a ring starts with at most: a batch size is a bound, memory follows items in flight. */
	private static final int INITIAL_SIZE = 1024;

	/** The largest generation: a Java array holds at most about 2^31 elements. */
	private static final int MAX_SIZE = 1 << 30;

	private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

	private static final VarHandle OBJECTS = MethodHandles.arrayElementVarHandle(Object[].class);

	private static final VarHandle WAITING_HEAD;

	static {
		try {
			WAITING_HEAD = MethodHandles.lookup().findVarHandle(OrderedSlotRing.class, "waitingHead", long.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	/** Longs in a cache line. */
	private static final int LINE_LONGS = 8;

	private static final int PUBLISHED = LINE_LONGS;

	private static final int CLAIMED = 2 * LINE_LONGS;

	final String name;

	final RunState signals;

	final StageCounters counters;

	/** What the stage's failed attempts become, and the skipped items' books. */
	final StageFailures failures;

	/** The stage's way to its rate limit, or null when it has none. */
	final PermitGate permits;

	/** Most items in flight: the batch size. */
	final int capacity;

	private final RunNode upstream;

	/** Free slots below which the consumer does not top up a ring that still has work. */
	private final int refillThreshold;

	/** Whether each item is launched as it arrives rather than per top-up. */
	private final boolean launchEachItem;

	/** The generation that takes new positions; read by other threads to find a position's slot. */
	private volatile Slots newest;

	// Written and read by the consuming thread only.
	private Slots tailSlots;

	private Slots headSlots;

	private long head;

	private long tail;

	private boolean upstreamEnded;

	/** The origin of the item the last poll handed out. */
	private long handedOrigin;

	/**
	 * Upstream's failure, thrown once every item taken before it has been handed downstream, so
	 * that a failure never overtakes the outputs of earlier inputs.
	 */
	private PipelineException upstreamFailure;

	/** The head the consumer waits for, published before it parks; read by settling threads. */
	private long waitingHead;

	/** The published and claimed positions, each alone on its cache line. */
	private final long[] positions = new long[3 * LINE_LONGS];

	OrderedSlotRing(String pipeline, StageSpec<?, ?> spec, StageCounters counters, RunNode upstream,
			RunState signals, DeadLetterHandler deadLetters, int refillThreshold, boolean launchEachItem) {
		this.name = spec.name();
		this.signals = signals;
		this.counters = counters;
		this.failures = StageFailures.of(pipeline, spec, deadLetters);
		this.permits = PermitGate.of(spec, counters);
		this.capacity = spec.batchSize();
		this.upstream = upstream;
		this.refillThreshold = Math.max(1, Math.min(refillThreshold, this.capacity));
		this.launchEachItem = launchEachItem;
		int size = Integer.highestOneBit(Math.max(1, Math.min(this.capacity, INITIAL_SIZE) - 1)) << 1;
		this.newest = new Slots(size, 0);
		this.tailSlots = this.newest;
		this.headSlots = this.newest;
	}

	/**
	 * Starts the calls of the items at positions {@code from} to {@code to}, just taken from
	 * upstream (and published to drainers, unless each item is launched as it arrives).
	 * Consuming thread.
	 */
	abstract void launch(long from, long to);

	/** Attempt {@code attempt} of the item at {@code position} is due. Any thread. */
	abstract void retryDue(long position, int attempt);

	/**
	 * Calls {@link #retryDue} after {@code delayNanos}, holding the ring only weakly meanwhile:
	 * a closed run that nothing else holds is not kept alive by its pending retries.
	 */
	final void retryAfter(long delayNanos, long position, int attempt) {
		CompletableFuture.delayedExecutor(delayNanos, TimeUnit.NANOSECONDS)
			.execute(new DelayedRetry(this, position, attempt));
	}

	/**
	 * Takes a permit of the stage's rate limit for a call about to start, or schedules
	 * {@link #permitDue} for when one is due (unless it is already) and says no. Any thread.
	 */
	final boolean permitted() {
		long wait = this.permits.tryTake();
		if (wait == 0) {
			return true;
		}
		if (this.permits.scheduleWakeUp()) {
			CompletableFuture.delayedExecutor(wait, TimeUnit.NANOSECONDS, Runnable::run)
				.execute(new DelayedRetry(this, PERMIT_DUE, 0));
		}
		return false;
	}

	/** A permit refused by {@link #permitted()} is due: the node launches what waited for it. Any thread. */
	abstract void permitDue();

	/** Most items in flight the node allows now: the batch size, unless calls outlive their items. */
	long inFlightLimit() {
		return this.capacity;
	}

	@Override
	final boolean beforeWait() {
		boolean moved = (long) WAITING_HEAD.getOpaque(this) != this.head;
		WAITING_HEAD.setOpaque(this, this.head);
		return this.upstream.beforeWait() | moved;
	}

	@Override
	Object poll() {
		while (true) {
			fill();
			if (this.head == this.tail) {
				if (this.upstreamFailure != null) {
					throw this.upstreamFailure;
				}
				return this.upstreamEnded ? END : NOT_READY;
			}
			long index = this.head;
			Slots slots = this.headSlots;
			if (index == slots.end) {
				slots = slots.newer;
				slots.older = null;
				this.headSlots = slots;
			}
			int slot = (int) (index & slots.mask);
			if ((long) LONGS.getAcquire(slots.settled, slot) != index) {
				return NOT_READY;
			}
			Object outcome = slots.outcomes[slot];
			if (outcome instanceof Unsuccessful unsuccessful) {
				if (outcome instanceof Unsuccessful.Failure && this.signals.isClosed()) {
					// most likely the close's own interrupt or cancellation, not the stage's failure: the
					// head stays, so that nothing after it is handed on (outputs stay a gap-free prefix)
					return NOT_READY;
				}
				// an item that fails the run stays the head: the run's position is at it
				handOnUnsuccessful(unsuccessful, index);
				outcome = DROPPED;
			}
			this.head = index + 1;
			this.counters.inFlight((int) (this.tail - this.head));
			if (outcome != DROPPED) {
				this.handedOrigin = slots.origins[slot];
				return outcome;
			}
		}
	}

	/** Hands a skipped item to the dead letters; throws when the item fails the run. */
	private void handOnUnsuccessful(Unsuccessful unsuccessful, long index) {
		if (unsuccessful instanceof Unsuccessful.Failure failure) {
			throw this.failures.failed(index, failure.cause);
		}
		Unsuccessful.Skipped skipped = (Unsuccessful.Skipped) unsuccessful;
		PipelineException overLimit = this.failures.countSkip(index, skipped.cause);
		if (overLimit != null) {
			throw overLimit;
		}
		this.failures.deadLetter(index, skipped.input, skipped.cause, skipped.attempts);
	}

	@Override
	final long handedOrigin() {
		return this.handedOrigin;
	}

	@Override
	final long heldOrigin() {
		if (this.head == this.tail) {
			return this.upstream.heldOrigin();
		}
		Slots slots = slotsOf(this.head);
		return slots.origins[(int) (this.head & slots.mask)];
	}

	/** Tops the ring up from upstream within the batch size, and launches what it took. */
	private void fill() {
		// a consumer back from an in-master call during which the run was closed tops up no more
		if (this.upstreamEnded || this.signals.isClosed()) {
			return;
		}
		long inFlight = this.tail - this.head;
		if (this.capacity - inFlight < this.refillThreshold && inFlight != 0) {
			return;
		}
		long limit = inFlightLimit();
		long before = this.tail;
		Slots slots = this.tailSlots;
		while (this.tail - this.head < limit) {
			if (this.tail - Math.max(this.head, slots.first) > slots.mask) {
				if (!grow()) {
					break;
				}
				slots = this.tailSlots;
			}
			Object item;
			try {
				item = this.upstream.poll();
			}
			catch (PipelineException ex) {
				this.upstreamFailure = ex;
				this.upstreamEnded = true;
				break;
			}
			if (item == NOT_READY) {
				break;
			}
			if (item == END) {
				this.upstreamEnded = true;
				break;
			}
			int slot = (int) (this.tail & slots.mask);
			slots.items[slot] = item;
			slots.origins[slot] = this.upstream.handedOrigin();
			this.tail++;
			if (this.launchEachItem) {
				launch(this.tail - 1, this.tail);
				if (this.signals.isClosed()) {
					break;
				}
			}
		}
		if (this.tail != before) {
			if (!this.launchEachItem) {
				LONGS.setVolatile(this.positions, PUBLISHED, this.tail);
				launch(before, this.tail);
			}
			this.counters.inFlight((int) (this.tail - this.head));
		}
	}

	/** Starts a generation twice the size of the full one, from the tail on; false at the largest. */
	private boolean grow() {
		Slots full = this.tailSlots;
		int size = 2 * (full.mask + 1);
		if (size > MAX_SIZE || full.mask + 1 >= this.capacity) {
			return false;
		}
		Slots grown = new Slots(size, this.tail);
		grown.older = full;
		// written before any position of the new generation is published
		full.newer = grown;
		full.end = this.tail;
		this.tailSlots = grown;
		this.newest = grown;
		return true;
	}

	/** The generation that holds {@code position}, which is in flight. Any thread. */
	final Slots slotsOf(long position) {
		Slots slots = this.newest;
		while (position < slots.first) {
			slots = slots.older;
		}
		return slots;
	}

	/** The item at {@code position}, which is in flight. Any thread. */
	final Object itemAt(long position) {
		Slots slots = slotsOf(position);
		return OBJECTS.getVolatile(slots.items, (int) (position & slots.mask));
	}

	/** Replaces the item at {@code position} visibly to every thread. Consuming thread. */
	final void replaceItem(long position, Object item) {
		Slots slots = slotsOf(position);
		OBJECTS.setVolatile(slots.items, (int) (position & slots.mask), item);
	}

	/** Every item the ring holds, of calls in flight or not. Any thread. */
	final void forEachItem(Consumer<Object> action) {
		for (Slots slots = this.newest; slots != null; slots = slots.older) {
			for (int slot = 0; slot <= slots.mask; slot++) {
				Object item = OBJECTS.getVolatile(slots.items, slot);
				if (item != null) {
					action.accept(item);
				}
			}
		}
	}

	/** Whether {@code position} has been settled. Any thread. */
	final boolean isSettled(long position) {
		Slots slots = slotsOf(position);
		return (long) LONGS.getAcquire(slots.settled, (int) (position & slots.mask)) == position;
	}

	/**
	 * Settles a position that only the calling thread can settle (it claimed it), without a
	 * fence: see {@link #wakeIfHeadIn}.
	 */
	static void settleClaimed(Slots slots, int slot, long position, Object outcome) {
		slots.outcomes[slot] = outcome;
		LONGS.setRelease(slots.settled, slot, position);
	}

	/**
	 * Takes the right to settle {@code position}, unless another thread has it: the one caller
	 * that gets it counts the outcome and then {@link #settle settles} it. Any thread.
	 */
	final boolean startSettling(long position) {
		Slots slots = slotsOf(position);
		int slot = (int) (position & slots.mask);
		long seen;
		do {
			seen = (long) LONGS.getVolatile(slots.settled, slot);
			if (seen == position || seen == ~position) {
				return false;
			}
		}
		while (!LONGS.compareAndSet(slots.settled, slot, seen, ~position));
		return true;
	}

	/**
	 * Settles {@code position}, which the calling thread {@link #startSettling started} to
	 * settle, and wakes the consumer when it waits for it. Any thread.
	 */
	final void settle(long position, Object outcome) {
		Slots slots = slotsOf(position);
		settleClaimed(slots, (int) (position & slots.mask), position, outcome);
		wakeIfHeadIn(position, position + 1);
	}

	/**
	 * After settling positions {@code from} to {@code to}: wakes a waiting consumer when its head
	 * is among them (only a head's outcome lets it move on).
	 */
	final void wakeIfHeadIn(long from, long to) {
		VarHandle.fullFence();
		Thread waiter = this.signals.waiter();
		if (waiter != null) {
			long head = (long) WAITING_HEAD.getOpaque(this);
			if (head >= from && head < to) {
				LockSupport.unpark(waiter);
			}
		}
	}

	final long published() {
		return (long) LONGS.getVolatile(this.positions, PUBLISHED);
	}

	final long claimed() {
		return (long) LONGS.getVolatile(this.positions, CLAIMED);
	}

	/** Whether published items wait for a drainer. */
	final boolean hasUnclaimedWork() {
		return claimed() < published();
	}

	/** Claims the published positions {@code start} to {@code end}; false when another thread did. */
	final boolean claim(long start, long end) {
		return LONGS.compareAndSet(this.positions, CLAIMED, start, end);
	}

	/** The position of a {@link DelayedRetry} that is a permit's wake-up. */
	private static final long PERMIT_DUE = -1;

	private static final class DelayedRetry implements Runnable {

		private final WeakReference<OrderedSlotRing> ring;

		private final long position;

		private final int attempt;

		DelayedRetry(OrderedSlotRing ring, long position, int attempt) {
			this.ring = new WeakReference<>(ring);
			this.position = position;
			this.attempt = attempt;
		}

		@Override
		public void run() {
			OrderedSlotRing ring = this.ring.get();
			if (ring == null || ring.signals.isClosed()) {
				return;
			}
			if (this.position == PERMIT_DUE) {
				ring.permits.wokeUp();
				ring.permitDue();
			}
			else {
				ring.retryDue(this.position, this.attempt);
			}
		}

	}

	/**
	 * One generation of slots, for positions from {@code first} until {@code end}, where a
	 * larger generation takes over.
	 */
	static final class Slots {

		final Object[] items;

		/** Outcomes by slot; a slot's outcome is there when {@link #settled} holds its position. */
		final Object[] outcomes;

		/** The origin of each slot's item; the consuming thread's alone. */
		final long[] origins;

		/** A slot that has settled nothing: the complement of no position. */
		private static final long NONE = Long.MIN_VALUE;

		/** The position each slot last settled, or its complement while it is being settled. */
		final long[] settled;

		final int mask;

		final long first;

		/** Where the next generation takes over; written before any position past it is published. */
		long end = Long.MAX_VALUE;

		Slots newer;

		/** The generation before, until the head has passed it. */
		Slots older;

		Slots(int size, long first) {
			this.items = new Object[size];
			this.outcomes = new Object[size];
			this.origins = new long[size];
			this.settled = new long[size];
			Arrays.fill(this.settled, NONE);
			this.mask = size - 1;
			this.first = first;
		}

	}

}
