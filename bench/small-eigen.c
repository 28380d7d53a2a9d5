/* The LAPACK symmetric eigensolvers on one 6x6 matrix (the size of every evaluation of the global
 * weight search on the random ensemble), called directly with a fixed workspace, so that the
 * count is the routine's own work. docs/benchmarks.md, "Scratch buffers" (issue 11), reports its
 * instruction counts; it is not part of any build or test.
 *
 *   gcc -O2 bench/small-eigen.c -o /tmp/small-eigen -llapack -lopenblas
 *   valgrind --tool=callgrind /tmp/small-eigen MODE 1000     (instructions, load-independent)
 *   /usr/bin/time /tmp/small-eigen MODE 200000               (time)
 *
 * MODE: 0 dsyevd (all pairs, what sgn calls), 1 dsyev, 2 dsyevr (pairs 1..3, what the search
 * uses), 3 dsyevx (pairs 1..3), 4 dsyevr (all pairs), 5 dsyevr (pairs 1..4, the enriched proof).
 * Every mode prints the same sum of smallest eigenvalues. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern void dsyevd_(const char *, const char *, const int *, double *, const int *, double *, double *,
                    const int *, int *, const int *, int *);
extern void dsyev_(const char *, const char *, const int *, double *, const int *, double *, double *,
                   const int *, int *);
extern void dsyevr_(const char *, const char *, const char *, const int *, double *, const int *,
                    const double *, const double *, const int *, const int *, const double *, int *,
                    double *, double *, const int *, int *, double *, const int *, int *, const int *,
                    int *);
extern void dsyevx_(const char *, const char *, const char *, const int *, double *, const int *,
                    const double *, const double *, const int *, const int *, const double *, int *,
                    double *, double *, const int *, double *, const int *, int *, int *, int *);
extern void openblas_set_num_threads(int);

int main(int argc, char **argv) {
    if (argc < 3) return 2;
    int mode = atoi(argv[1]), reps = atoi(argv[2]), n = 6;
    openblas_set_num_threads(1);
    double a0[36], a[36], w[6], z[36], work[2000], vl = 0, vu = 0, abstol = 0, sum = 0;
    int iwork[1000], isuppz[12], ifail[6], info = 0, m, lw = 2000, liw = 1000, il = 1, iu = 3, iu4 = 4;
    srand(1);
    for (int i = 0; i < n; i++)
        for (int j = 0; j <= i; j++) {
            double v = rand() / (double)RAND_MAX - 0.5;
            a0[i + n * j] = v;
            a0[j + n * i] = v;
        }
    for (int r = 0; r < reps; r++) {
        memcpy(a, a0, sizeof a);
        a[0] += r * 1e-6;
        switch (mode) {
        case 0: dsyevd_("V", "L", &n, a, &n, w, work, &lw, iwork, &liw, &info); break;
        case 1: dsyev_("V", "L", &n, a, &n, w, work, &lw, &info); break;
        case 2: dsyevr_("V", "I", "L", &n, a, &n, &vl, &vu, &il, &iu, &abstol, &m, w, z, &n, isuppz, work, &lw,
                        iwork, &liw, &info); break;
        case 3: dsyevx_("V", "I", "L", &n, a, &n, &vl, &vu, &il, &iu, &abstol, &m, w, z, &n, work, &lw, iwork,
                        ifail, &info); break;
        case 4: dsyevr_("V", "A", "L", &n, a, &n, &vl, &vu, &il, &iu, &abstol, &m, w, z, &n, isuppz, work, &lw,
                        iwork, &liw, &info); break;
        case 5: dsyevr_("V", "I", "L", &n, a, &n, &vl, &vu, &il, &iu4, &abstol, &m, w, z, &n, isuppz, work, &lw,
                        iwork, &liw, &info); break;
        default: return 2;
        }
        sum += w[0];
    }
    printf("mode %d: sum of smallest eigenvalues %.12g (info %d)\n", mode, sum, info);
    return 0;
}
