package io.github.blllib.demo;

import java.util.List;

import io.github.blllib.BlllibStage;
import io.github.blllib.Stage;

import org.springframework.stereotype.Component;

/**
 * The seed's {@code Difference2_stateless}: given windows of three consecutive items
 * {@code [x, y, z]}, returns {@code z - x}. Keeping no state, it runs on the shared worker
 * pool once its inputs come as windows ({@code stateful = "3"}).
 */
@Component
@BlllibStage(stateful = "3", batchSize = 64)
public class SecondDifference implements Stage<List<Long>, Long> {

	@Override
	public Long apply(List<Long> window) {
		return window.get(2) - window.get(0);
	}

}
