package io.github.blllib.autoconfigure.ui.browser;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * A stage's calls that a test steps through, some of them failing: each item waits for a
 * permit on its first attempt; an item {@code x} with {@code x % 5 == 1} fails once, one with
 * {@code x % 5 == 3} fails on every attempt. With one retry and skipped failures, every five
 * items count two retries and one skip.
 */
public class FlakySteps {

	private final Semaphore permits = new Semaphore(0);

	private final Map<Integer, Integer> attempts = new ConcurrentHashMap<>();

	/** The stage's call. */
	public Integer apply(Integer x) throws InterruptedException {
		int attempt = this.attempts.merge(x, 1, Integer::sum);
		if (attempt == 1) {
			this.permits.acquire();
		}
		if ((x % 5 == 1 && attempt == 1) || x % 5 == 3) {
			throw new IllegalStateException("item " + x + " failed on attempt " + attempt);
		}
		return x;
	}

	/** Lets the next {@code items} items through. */
	public void release(int items) {
		this.permits.release(items);
	}

	/** Holds the next items, and forgets the attempts of the last run. */
	public void hold() {
		this.permits.drainPermits();
		this.attempts.clear();
	}

	/** Whether an item is skipped: it fails on every attempt. */
	public static boolean isSkipped(int x) {
		return x % 5 == 3;
	}

}
