package io.dic4j.metrics;

/**
 * Normalised mean error of landmarks: the mean point-to-point distance divided by a reference distance of the
 * ground truth.
 */
public final class Nme {

    /** Which ground-truth distance normalises the error. */
    public enum Normalisation {
        /** Outer eye corners: points 36 and 45 of 68 (eye centres 0 and 1 of CelebA's 5). The standard. */
        INTER_OCULAR(36, 45),
        /** The reference code's variant: points 37 and 46 of 68 (upper eyelids, not the corners). */
        REFERENCE_37_46(37, 46);

        private final int a;
        private final int b;

        Normalisation(int a, int b) {
            this.a = a;
            this.b = b;
        }

        double distance(double[][] gt) {
            if (gt.length == 5) {
                if (this != INTER_OCULAR) {
                    throw new IllegalArgumentException(this + " is defined for 68 points, not 5");
                }
                return Math.hypot(gt[0][0] - gt[1][0], gt[0][1] - gt[1][1]);
            }
            if (gt.length != 68) {
                throw new IllegalArgumentException("NME is defined for 68 or 5 points, not " + gt.length);
            }
            return Math.hypot(gt[a][0] - gt[b][0], gt[a][1] - gt[b][1]);
        }
    }

    private Nme() {}

    /** Mean over points of |pred − gt|, divided by the normalising distance of gt. */
    public static double of(float[][] predicted, double[][] groundTruth, Normalisation normalisation) {
        if (predicted.length != groundTruth.length) {
            throw new IllegalArgumentException(predicted.length + " predicted points, " + groundTruth.length
                    + " in the ground truth");
        }
        double sum = 0;
        for (int i = 0; i < predicted.length; i++) {
            sum += Math.hypot(predicted[i][0] - groundTruth[i][0], predicted[i][1] - groundTruth[i][1]);
        }
        return sum / predicted.length / normalisation.distance(groundTruth);
    }
}
