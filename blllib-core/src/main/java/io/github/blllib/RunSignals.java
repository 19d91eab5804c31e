package io.github.blllib;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The narrow channel between a run and the threads of its stages: whether the run is closed,
 * and which consuming thread to wake when an output it waits for is ready.
 */
final class RunSignals {

	private static final VarHandle THREADS = MethodHandles.arrayElementVarHandle(Thread[].class);

	private static final VarHandle CLOSED;

	static {
		try {
			CLOSED = MethodHandles.lookup().findVarHandle(RunSignals.class, "closed", boolean.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	/** Index of the waiter in its padded cell: a cache line of references on each side. */
	private static final int WAITER = 16;

	private volatile boolean closed;

	/**
	 * The consuming thread while it is about to park or parked, else null, alone on its cache
	 * line: drainers read it after every chunk, the consumer writes its own fields per item.
	 */
	private final Thread[] waiterCell = new Thread[2 * WAITER + 1];

	boolean isClosed() {
		return this.closed;
	}

	/** Marks the run closed; true for the one caller that did. */
	boolean close() {
		return CLOSED.compareAndSet(this, false, true);
	}

	/** The consumer is about to park: from now on, stages that finish its head wake it. */
	void consumerWaits() {
		THREADS.setVolatile(this.waiterCell, WAITER, Thread.currentThread());
	}

	void consumerAwake() {
		THREADS.setVolatile(this.waiterCell, WAITER, null);
	}

	/** The consuming thread while it is about to park or parked, else null. */
	Thread waiter() {
		return (Thread) THREADS.getVolatile(this.waiterCell, WAITER);
	}

	void wakeConsumer() {
		Thread thread = waiter();
		if (thread != null) {
			LockSupport.unpark(thread);
		}
	}

}
