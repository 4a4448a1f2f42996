/* libmd against nettle SHA-256 on 100 KB: cc -O2 bench/sha.c -lmd -lnettle */
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <sha2.h>
#include <nettle/sha2.h>
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec/1e9;}
int main(void){static uint8_t b[100000];memset(b,'a',sizeof b);char d[65];uint8_t o[32];
for(int r=0;r<3;r++){double t=now();for(int i=0;i<200;i++){SHA2_CTX c;SHA256Init(&c);SHA256Update(&c,b,sizeof b);SHA256End(&c,d);}double a=(now()-t)/200;
t=now();for(int i=0;i<200;i++){struct sha256_ctx c;sha256_init(&c);sha256_update(&c,sizeof b,b);sha256_digest(&c,32,o);}double n=(now()-t)/200;
printf("100K: libmd %.1f us nettle %.1f us ratio %.2f\n",a*1e6,n*1e6,a/n);}
}
