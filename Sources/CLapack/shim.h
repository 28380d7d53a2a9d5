#include <lapacke.h>
#include <cblas.h>
/* OpenBLAS's thread control; declared here so it is found whichever cblas.h the system selects. */
void openblas_set_num_threads(int num_threads);
