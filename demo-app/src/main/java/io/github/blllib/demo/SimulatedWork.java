package io.github.blllib.demo;

import java.util.concurrent.TimeUnit;

import org.springframework.stereotype.Component;

/**
 * Stands in for slow work, such as a remote call, in the seed example's stages: sleeps a
 * number of {@code demo.unit}s.
 */
@Component
public class SimulatedWork {

	private final long unitNanos;

	public SimulatedWork(DemoProperties properties) {
		this.unitNanos = properties.unit().toNanos();
	}

	/** Sleeps {@code units} time units. */
	public void spend(int units) throws InterruptedException {
		TimeUnit.NANOSECONDS.sleep(this.unitNanos * units);
	}

}
