package io.github.blllib;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * A consuming thread that walks a node through the steps of a consumer about to park, with a
 * pause the test controls between publishing what it waits for and its last poll: poll, publish
 * the heads ({@link RunNode#beforeWait()}), register as waiter, wait for {@link #goOn()}, poll
 * once more, park until woken.
 */
final class ParkingConsumer {

	private final CountDownLatch published = new CountDownLatch(1);

	private final CountDownLatch goOn = new CountDownLatch(1);

	private final CountDownLatch parked = new CountDownLatch(1);

	private final CountDownLatch woken = new CountDownLatch(1);

	private final AtomicReference<Object> firstPoll = new AtomicReference<>();

	private final AtomicReference<Object> lastPoll = new AtomicReference<>();

	private final Thread thread;

	/**
	 * @param node the node the consumer polls
	 * @param signals the run's state, where it registers as waiter
	 * @param lastPoll the poll it makes after the pause, before parking
	 */
	ParkingConsumer(RunNode node, RunState signals, Function<RunNode, Object> lastPoll) {
		this.thread = new Thread(() -> {
			this.firstPoll.set(node.poll());
			node.beforeWait();
			signals.consumerWaits();
			this.published.countDown();
			awaitLatch(this.goOn);
			// a wake-up that came during the pause, unless the latch's own wait took it, is spent
			// here: the park below ends only by a wake-up that comes after the last poll
			LockSupport.parkNanos(1);
			this.lastPoll.set(lastPoll.apply(node));
			this.parked.countDown();
			LockSupport.park();
			if (!Thread.currentThread().isInterrupted()) {
				this.woken.countDown();
			}
		}, "consumer");
	}

	/** Starts the thread and returns what its first poll gave, once it has published. */
	Object start() throws InterruptedException {
		this.thread.start();
		if (!this.published.await(10, TimeUnit.SECONDS)) {
			throw new IllegalStateException("the consumer did not publish what it waits for");
		}
		return this.firstPoll.get();
	}

	/** Ends the pause and returns what the last poll gave, once the consumer is about to park. */
	Object goOn() throws InterruptedException {
		this.goOn.countDown();
		if (!this.parked.await(10, TimeUnit.SECONDS)) {
			throw new IllegalStateException("the consumer did not make its last poll");
		}
		return this.lastPoll.get();
	}

	/** Whether the parked consumer was woken within 10 s. */
	boolean awaitWoken() throws InterruptedException {
		return this.woken.await(10, TimeUnit.SECONDS);
	}

	void stop() throws InterruptedException {
		this.thread.interrupt();
		this.thread.join();
	}

	private static void awaitLatch(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
