import { describe, expect, it } from 'vitest';
import { WorkloadProfile } from '../profiles/profile-model.js';
import { LearningCalibration } from './learning-calibration.js';
import { DEFAULT_SCORING_CONFIG as CONFIG } from './scoring-config.js';

describe('LearningCalibration', () => {
  it('scores each learning epoch against the profile before it and keeps windows after warm-up', () => {
    const profile = new WorkloadProfile({ ngramLength: 3 });
    const learning = new LearningCalibration(CONFIG, 4);
    for (let epoch = 1; epoch <= 30; epoch++) {
      const time = epoch * 60_000;
      const ctx = { epoch, time, afterReady: false };
      learning.observe(profile, { category: 'syscall', nr: 1 }, ctx);
      // Every fifth epoch the workload touches a new file, as a normal batch job might.
      if (epoch % 5 === 0) learning.observe(profile, { category: 'file', path: `/var/spool/job/${epoch}-report.txt`, modes: ['write'] }, ctx);
      learning.endEpoch(profile, time + 59_000);
    }
    const doc = learning.calibrator.toDocument();
    expect(doc.categories.file?.samples).toBe(26);
    // The new files were generalized to one pattern after the first, so later ones are known.
    expect(doc.categories.file?.top.length).toBeGreaterThan(0);
    expect(profile.epochs).toBe(30);
    expect(learning.calibrator.thresholds().categories.syscall).toBe(CONFIG.uncertifiedFloor);
  });
});
