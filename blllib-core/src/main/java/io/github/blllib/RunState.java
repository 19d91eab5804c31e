package io.github.blllib;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/**
 * Everything about a run that more than one thread reads: its lifecycle, where its consuming
 * thread is, and which thread to wake. Stage nodes, drainer groups, the run's resources and its
 * pipeline all read the run's state here and nowhere else.
 *
 * <p><b>Lifecycle.</b> One word, {@link #ctl}, whose bits are only ever set. A run is open until
 * its first pull assembles its chain ({@link #STARTED}). A close, from any thread, sets
 * {@link #CLOSING}: from then on no stage takes new work and the closer stops the stages' threads;
 * once no stage code of the run runs any more and its resources are given back, {@link #CLOSED}.
 * The consumer records how it saw the end ({@link #ENDED}, with {@link #EXHAUSTED} or
 * {@link #FAILED}; a run that ends otherwise was closed).
 *
 * <p><b>The consumer.</b> The consuming thread marks each pull of this run ({@link #PULLING}),
 * and within it the in-master stage calls ({@link #IN_MASTER_CALLS}) and the dead-letter handler
 * ({@link #DEAD_LETTERS}); a close from another thread waits until the pull is over, and so never
 * for a pull of another run. A pull marks itself, then reads the word; a close sets the word,
 * then reads the mark (Dekker): that the two cannot miss each other needs a full fence on the
 * pull's side, a large share of a cheap sequential pipeline's cost per item. So the mark is
 * fenced on the first pull (which claims stateful stages and starts threads) and on every pull of
 * a run with a stateful stage in master; elsewhere it is an ordered store (the fast path of a run
 * whose stages all run in master keeps its own mark, in the {@link OrderedRun}), and a close that
 * races the very start of a pull can miss it and return while that pull runs its in-master
 * stages, none of them stateful, on one item. A wait the run itself does on the consumer (a retry's delay in master)
 * ends at a close.
 */
final class RunState {

	/** The first pull assembled the chain and handed it to the run's resources. */
	static final int STARTED = 1;

	/** A close won: no stage takes new work; the closer stops the stages' threads. */
	static final int CLOSING = 2;

	/** The close is over: no stage code of the run runs, its resources are given back. */
	static final int CLOSED = 4;

	/** The consumer saw the end of the run: its pulls find nothing more. */
	static final int ENDED = 8;

	/** With {@link #ENDED}: every output was delivered. */
	static final int EXHAUSTED = 16;

	/** With {@link #ENDED}: a failure ended the run, {@link #failure} says which. */
	static final int FAILED = 32;

	/** Where the consumer is: in no pull of this run. */
	static final int OUTSIDE = 0;

	/** In a pull of this run: reading input, handing items over, waiting for output. */
	static final int PULLING = 1;

	/** In a pull, running in-master stages (all of a pull when every stage runs in master). */
	static final int IN_MASTER_CALLS = 2;

	/** In a pull, in the dead-letter handler. */
	static final int DEAD_LETTERS = 3;

	/** What {@link StageCall#stage()} names while the consumer is in the dead-letter handler. */
	static final String DEAD_LETTERS_CALL = "dead-letters";

	/** What {@link PipelineException#stage()} names for the consuming thread. */
	static final String CONSUMER = "consumer";

	private static final VarHandle CTL;


	private static final VarHandle THREADS = MethodHandles.arrayElementVarHandle(Thread[].class);

	private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);

	static {
		try {
			CTL = MethodHandles.lookup().findVarHandle(RunState.class, "ctl", int.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	/** Index of a value in its padded cell: a cache line of references or ints on each side. */
	private static final int CELL = 16;

	private final String pipeline;

	/** Whether every pull's mark is fenced: a stateful stage runs in master. */
	private final boolean fencedPulls;

	/** The lifecycle bits; read by drainers per item, written only at transitions. */
	private volatile int ctl;

	/** What ended a failed run; written before {@link #FAILED} is set. */
	private volatile Throwable failure;

	/** The thread of the first pull, the only one that pulls the run; null before. */
	private volatile Thread consumer;

	/**
	 * Where the consumer is, alone on its cache line: the consumer writes it per pull, drainers
	 * read {@link #ctl} per item.
	 */
	private final int[] consumerCell = new int[2 * CELL + 1];

	/** The input whose dead letter the consumer hands over, while it does. */
	private long deadLetterIndex;

	/**
	 * The consuming thread while it is about to park or parked, else null, alone on its cache
	 * line: drainers read it after every chunk, the consumer writes its own fields per item.
	 */
	private final Thread[] waiterCell = new Thread[2 * CELL + 1];

	/** Counted down with {@link #CLOSED}, for closers that lost to another. */
	private final CountDownLatch closed = new CountDownLatch(1);

	/**
	 * @param pipeline the pipeline's name, for the consumer's failures
	 * @param fencedPulls whether every pull's mark is fenced (a stateful stage runs in master)
	 */
	RunState(String pipeline, boolean fencedPulls) {
		this.pipeline = pipeline;
		this.fencedPulls = fencedPulls;
	}

	/** The pipeline's name. */
	String pipeline() {
		return this.pipeline;
	}

	// ---- lifecycle

	/** Whether a close has begun (or is over): no stage takes new work. */
	boolean isClosed() {
		return (this.ctl & CLOSING) != 0;
	}

	boolean isStarted() {
		return (this.ctl & STARTED) != 0;
	}

	/** Whether the consumer saw the end of the run. */
	boolean hasEnded() {
		return (this.ctl & ENDED) != 0;
	}

	/** The first pull assembled the chain. */
	void started() {
		CTL.getAndBitwiseOr(this, STARTED);
	}

	/** Begins the close; true for the one caller that did. */
	boolean beginClose() {
		return (((int) CTL.getAndBitwiseOr(this, CLOSING)) & CLOSING) == 0;
	}

	/** The close is over: wakes the closers that lost. */
	void closed() {
		CTL.getAndBitwiseOr(this, CLOSED);
		this.closed.countDown();
	}

	/**
	 * The consumer saw the end: the input exhausted, {@code failure}, or (with neither) a close.
	 * Only the first end counts; a close that began first makes an end without failure a close.
	 */
	void ended(Throwable failure) {
		if (failure != null && !hasEnded()) {
			this.failure = failure;
		}
		int state;
		int ended;
		do {
			state = this.ctl;
			if ((state & ENDED) != 0) {
				return;
			}
			ended = state | ENDED | ((failure != null) ? FAILED : ((state & CLOSING) != 0) ? 0 : EXHAUSTED);
		}
		while (!CTL.compareAndSet(this, state, ended));
	}

	/** How the run ended, as far as the consumer saw it: closed unless it saw otherwise. */
	RunOutcome outcome() {
		int state = this.ctl;
		if ((state & FAILED) != 0) {
			return RunOutcome.failed(this.failure);
		}
		return ((state & EXHAUSTED) != 0) ? RunOutcome.EXHAUSTED : RunOutcome.CLOSED;
	}

	/** Waits until the close that won is over; keeps an interrupt for later. */
	void awaitClosed() {
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
			Thread.currentThread().interrupt();
		}
	}

	// ---- the consumer

	/** The thread of the first pull, or null before it. */
	Thread consumer() {
		return this.consumer;
	}

	/**
	 * The consumer begins a pull: {@code first} for the run's first, after which the consumer reads
	 * the lifecycle word to decide whether to go on.
	 */
	void pullBegins(int where, boolean first) {
		if (first) {
			this.consumer = Thread.currentThread();
		}
		if (first || this.fencedPulls) {
			INTS.setVolatile(this.consumerCell, CELL, where);
		}
		else {
			INTS.setRelease(this.consumerCell, CELL, where);
		}
	}

	/** Whether every pull's mark is fenced: a stateful stage runs in master. */
	boolean hasFencedPulls() {
		return this.fencedPulls;
	}

	/** Where the consumer is now, within a pull. */
	void consumerIn(int where) {
		INTS.setRelease(this.consumerCell, CELL, where);
	}

	void pullEnds() {
		INTS.setRelease(this.consumerCell, CELL, OUTSIDE);
	}

	/** Whether the consumer is in a pull of this run. */
	boolean isPulling() {
		return (int) INTS.getAcquire(this.consumerCell, CELL) != OUTSIDE;
	}

	/** Wraps the pipeline's dead-letter handler so that the consumer's calls of it are marked. */
	DeadLetterHandler marking(DeadLetterHandler deadLetters) {
		return (item) -> {
			int outer = (int) INTS.getOpaque(this.consumerCell, CELL);
			this.deadLetterIndex = item.index();
			consumerIn(DEAD_LETTERS);
			try {
				deadLetters.accept(item);
			}
			catch (RuntimeException | Error ex) {
				throw ex;
			}
			catch (Throwable ex) {
				// thrown sneakily: reported as the handler's failure, like any other
				throw new UndeclaredThrowableException(ex);
			}
			finally {
				consumerIn(outer);
			}
		};
	}

	/** The consumer's call of this run's code executing now, or null. */
	StageCall consumerCall() {
		return consumerCall((int) INTS.getAcquire(this.consumerCell, CELL));
	}

	/** The consumer's call of this run's code when it is {@code where}, or null. */
	StageCall consumerCall(int where) {
		Thread thread = this.consumer;
		if (where == IN_MASTER_CALLS) {
			return new StageCall(this.pipeline, CONSUMER, thread.getName(), -1);
		}
		if (where == DEAD_LETTERS) {
			return new StageCall(this.pipeline, DEAD_LETTERS_CALL, thread.getName(), this.deadLetterIndex);
		}
		return null;
	}

	/**
	 * Waits out a retry's delay on the consuming thread, which keeps its items' order by waiting.
	 * @throws RunClosedException when the run is closed meanwhile
	 * @throws PipelineException for stage {@value #CONSUMER} when the consumer is interrupted
	 * (the interrupt flag stays set)
	 */
	void awaitRetryDelay(long nanos) {
		Thread previous = waiter();
		consumerWaits();
		try {
			long start = System.nanoTime();
			while (true) {
				if (isClosed()) {
					throw RunClosedException.INSTANCE;
				}
				if (Thread.currentThread().isInterrupted()) {
					throw consumerInterrupted("waiting out a retry's delay");
				}
				long remaining = nanos - (System.nanoTime() - start);
				if (remaining <= 0) {
					return;
				}
				LockSupport.parkNanos(this, remaining);
			}
		}
		finally {
			THREADS.setVolatile(this.waiterCell, CELL, previous);
		}
	}

	/** The run's failure when its consumer is interrupted while it waits for something. */
	PipelineException consumerInterrupted(String waitingFor) {
		return new PipelineException(this.pipeline, CONSUMER, -1, "Pipeline '" + this.pipeline
				+ "': the consuming thread was interrupted while " + waitingFor, new InterruptedException());
	}

	// ---- waking the consumer

	/** The consumer is about to park: from now on, stages that finish its head wake it. */
	void consumerWaits() {
		THREADS.setVolatile(this.waiterCell, CELL, Thread.currentThread());
	}

	void consumerAwake() {
		THREADS.setVolatile(this.waiterCell, CELL, null);
	}

	/** The consuming thread while it is about to park or parked, else null. */
	Thread waiter() {
		return (Thread) THREADS.getVolatile(this.waiterCell, CELL);
	}

	void wakeConsumer() {
		Thread thread = waiter();
		if (thread != null) {
			LockSupport.unpark(thread);
		}
	}

}
