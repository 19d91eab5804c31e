package io.github.blllib.autoconfigure.app;

import java.util.List;

import io.github.blllib.BlllibStage;
import io.github.blllib.Stage;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Scope;
import org.springframework.stereotype.Component;

/**
 * A small application using the starter: the second differences of the running totals of
 * scaled inputs. {@code scale} gets its settings from properties, {@code runningTotal} is a
 * prototype-scoped stateful stage, {@code secondDiff} a window stage whose size is a
 * placeholder; {@code running-stats} is declared in {@code stats-application.yml}.
 */
@SpringBootApplication
public class StatsApplication {

	@Bean
	Stage<Integer, Integer> scale() {
		return (x) -> 10 * x;
	}

	/** Stateful: the sum of the inputs seen so far by this instance. */
	@Component("runningTotal")
	@Scope("prototype")
	static class RunningTotal implements Stage<Integer, Integer> {

		private int total;

		@Override
		public Integer apply(Integer input) {
			this.total += input;
			return this.total;
		}

	}

	/** {@code w[2] - 2 w[1] + w[0]} over windows of {@code stats.window} (3) items. */
	@Component("secondDiff")
	@BlllibStage(stateful = "${stats.window}")
	static class SecondDifference implements Stage<List<Integer>, Integer> {

		@Override
		public Integer apply(List<Integer> window) {
			return window.get(2) - 2 * window.get(1) + window.get(0);
		}

	}

}
