package io.github.blllib.autoconfigure;

import java.util.concurrent.CountDownLatch;

/**
 * Holds a test stage until opened, so a test can look at a pipeline frozen mid-run; closing it
 * again makes it hold the next calls.
 */
public class Gate {

	/** Counted down by the first call that reaches the gate. */
	public final CountDownLatch entered = new CountDownLatch(1);

	private volatile CountDownLatch open = new CountDownLatch(1);

	/** Called by the stage: waits until the gate is open. */
	public void pass() throws InterruptedException {
		this.entered.countDown();
		this.open.await();
	}

	public void open() {
		this.open.countDown();
	}

	public void close() {
		this.open = new CountDownLatch(1);
	}

}
