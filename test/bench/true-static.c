// SPDX-License-Identifier: Apache-2.0
/* The smallest thing to exec: a static binary that exits at once. */
int main(void)
{
	return 0;
}
